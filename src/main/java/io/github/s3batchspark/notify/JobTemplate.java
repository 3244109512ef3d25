package io.github.s3batchspark.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.JobSpec;
import io.github.s3batchspark.job.JobSpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * A CreateJob JSON that a trigger completes: with the manifest that arrived, or with the time a
 * schedule fired. The ClientRequestToken of each job it makes is derived from what made it
 * (the manifest's bucket, key and ETag; the scheduled minute), so that a message delivered
 * twice, or two services sharing a store, create the job once.
 *
 * @param source where the template was read, for messages
 * @param json   the CreateJob JSON
 */
public record JobTemplate(String source, ObjectNode json) {
  /** The format of an S3 Inventory report's manifest.json, when the template names none. */
  static final String INVENTORY_FORMAT = "S3InventoryReport_CSV_20161130";
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  /**
   * Reads a template file and checks that it makes a valid job.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static JobTemplate read(Path file) {
    JsonNode node;
    try {
      node = JobNotice.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("--trigger-template " + file + " cannot be read as "
          + "JSON: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("--trigger-template " + file + " is not a CreateJob "
          + "JSON object");
    }
    JobTemplate template = new JobTemplate(file.toString(), object);
    try {
      template.forManifest("bucket", "inventory/manifest.json", "0123456789abcdef");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--trigger-template " + file + " does not make a job: "
          + e.getMessage());
    }
    return template;
  }

  /** The job for a manifest that arrived: its Manifest.Location set to it. */
  public JobSpec forManifest(String bucket, String key, String etag) {
    ObjectNode job = json.deepCopy();
    ObjectNode manifest = job.with("Manifest");
    if (!manifest.has("Spec")) {
      manifest.putObject("Spec").put("Format", INVENTORY_FORMAT);
    }
    manifest.putObject("Location").put("ObjectArn", "arn:aws:s3:::" + bucket + "/" + key)
        .put("ETag", etag);
    job.put("ClientRequestToken", "manifest-" + digest(bucket + "/" + key + "/" + etag, 48));
    return JobSpecParser.parse(job.toString());
  }

  /** The job for a scheduled minute: the template as it is, one token per minute. */
  public JobSpec forSchedule(Instant scheduled) {
    ObjectNode job = json.deepCopy();
    job.put("ClientRequestToken", "cron-" + MINUTE.format(scheduled) + "-"
        + digest(json.toString(), 16));
    return JobSpecParser.parse(job.toString());
  }

  private static String digest(String text, int hexChars) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(
          text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
