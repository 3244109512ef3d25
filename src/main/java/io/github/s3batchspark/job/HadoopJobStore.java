package io.github.s3batchspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.job.spec.S3Tag;
import io.github.s3batchspark.execution.ClientSettings;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A {@link JobStore} on any Hadoop FileSystem: a local directory by default, HDFS, or an object
 * store ({@code s3a://bucket/prefix}, EMRFS {@code s3://}) on a cluster.
 *
 * <p>Layout: {@code <store>/jobs/<jobId>/record/000000007.json} is version 7 of the record
 * (DescribeJob's {@code Job} plus the CreateJob request it came from), the highest number being
 * the record; {@code <store>/jobs/<jobId>/} also holds what the runner writes for the job;
 * {@code <store>/tokens/<sha256(ClientRequestToken)>} holds the job id a token created, so that
 * create is idempotent without scanning every job. A store written before records had versions
 * keeps the record in {@code job.json}: it is read as version 0.
 *
 * <p>A version file is written only if absent ({@link WriteIfAbsent}: a hard link locally, a
 * rename without overwrite on HDFS, a PUT with {@code If-None-Match: *} on S3), so of two
 * writers of version 8 exactly one wins; the other reads version 8 and applies its change again.
 * Old versions are pruned, but only once they are {@link #PRUNE_AFTER} old: a writer that read a
 * version must still find the next one taken, however slow it was, within that time.
 */
public final class HadoopJobStore implements JobStore {
  /** Region in job ARNs when none is given: where a local run pretends to be. */
  public static final String DEFAULT_REGION = "us-east-1";
  private static final int FORMAT_VERSION = 1;
  private static final String LEGACY_RECORD = "job.json";
  private static final String RECORDS = "record";
  private static final Pattern VERSION_FILE = Pattern.compile("(\\d{9})\\.json");
  /** Writers racing for one record: each race has a winner, so this many losses is a fault. */
  private static final int MAX_TRIES = 50;
  private static final int KEEP_VERSIONS = 5;
  private static final Duration PRUNE_AFTER = Duration.ofMinutes(10);

  private final Path root;
  private final FileSystem fs;
  private final WriteIfAbsent writeIfAbsent;
  private final String region;

  public HadoopJobStore(Path root, Configuration conf, ClientSettings clients) {
    try {
      FileSystem opened = root.getFileSystem(conf);
      // locally, skip the checksum layer: its .crc side files would go stale under the hard
      // links below, and the record is small JSON that is parsed (so checked) on every read
      this.fs = opened instanceof LocalFileSystem local ? local.getRaw() : opened;
    } catch (IOException e) {
      throw new JobStoreException("cannot open job store " + root + ": " + e.getMessage(), e);
    }
    this.root = fs.makeQualified(root);
    // the store is the user's, not the job's: its records are written with the caller's own
    // credentials even when the job's requests are signed as its role
    this.writeIfAbsent = WriteIfAbsent.on(fs, conf, clients.withCallerCredentials());
    String given = clients.region();
    this.region = given == null || given.isBlank() ? DEFAULT_REGION : given;
  }

  /**
   * Opens the store at {@code location}: a Hadoop URI ({@code s3a://bucket/jobs}), a local path
   * ({@code ~} is the home directory), or, when null or blank, {@link #defaultLocation()}. On
   * S3 the records are written with an SDK client built from {@code clients}.
   */
  public static HadoopJobStore open(String location, ClientSettings clients, Configuration conf) {
    return new HadoopJobStore(toPath(location), conf, clients);
  }

  /** A store whose S3 clients (if it is on S3) take the SDK's default settings. */
  public static HadoopJobStore open(String location, Configuration conf, String region) {
    return open(location, ClientSettings.defaults().withRegion(region), conf);
  }

  /** {@code ~/.s3batch} on the local file system. */
  public static String defaultLocation() {
    return new File(System.getProperty("user.home"), ".s3batch").toURI().toString();
  }

  @Override
  public JobRecord create(JobSpec spec) {
    Path token = tokenFile(spec.clientRequestToken());
    Optional<JobRecord> earlier = jobCreatedWith(token, spec);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    JobRecord job = JobRecord.newJob(JobRecord.newJobId(), spec, Instant.now(), region)
        .atVersion(1);
    if (!claimed(job, token)) {
      // another create with the same token won the race: its job is the one
      return jobCreatedWith(token, spec).orElseThrow(() -> new JobStoreException(
          "token file " + token + " vanished while creating a job: retry create-job"));
    }
    return job;
  }

  @Override
  public JobRecord get(String jobId) {
    return newest(jobId).orElseThrow(() -> new JobNotFoundException(jobId, location()));
  }

  @Override
  public JobListing list(Set<JobStatus> statuses) {
    List<JobRecord> jobs = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (FileStatus dir : jobDirectories()) {
      String jobId = dir.getPath().getName();
      try {
        // a directory without a record yet is a create in progress, not a job
        newest(jobId).filter(job -> statuses.isEmpty() || statuses.contains(job.status()))
            .ifPresent(jobs::add);
      } catch (JobIdException e) {
        warnings.add("skipped " + dir.getPath() + ": not a job directory (" + e.getMessage()
            + ")");
      } catch (JobStoreException e) {
        warnings.add("skipped job " + jobId + ": " + e.getMessage());
      }
    }
    jobs.sort(Comparator.comparing(JobRecord::creationTime).reversed()
        .thenComparing(JobRecord::jobId));
    return new JobListing(jobs, warnings);
  }

  @Override
  public JobRecord update(String jobId, Owner owner, UnaryOperator<JobRecord> change) {
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      JobRecord stored = get(jobId);
      JobRecord changed = change.apply(stored);
      owner.checkChange(stored, changed);
      if (changed.equals(stored)) {
        return stored;
      }
      JobRecord next = changed.atVersion(stored.version() + 1);
      if (writeVersion(next)) {
        prune(jobId, next.version());
        return next;
      }
      pauseAfterLosing(attempt);
    }
    throw new JobStoreException("job " + jobId + " in " + location() + ": other writers changed"
        + " its record " + MAX_TRIES + " times while this one tried to write; retry");
  }

  @Override
  public Path jobDirectory(String jobId) {
    return new Path(new Path(root, "jobs"), JobRecord.checkJobId(jobId));
  }

  @Override
  public String location() {
    return root.toString();
  }

  private static Path toPath(String location) {
    if (location == null || location.isBlank()) {
      return new Path(defaultLocation());
    }
    String trimmed = location.trim();
    if (trimmed.equals("~") || trimmed.startsWith("~/")) {
      trimmed = System.getProperty("user.home") + trimmed.substring(1);
    }
    // a scheme of two letters or more (s3a:, file:, hdfs:); one letter is a Windows drive
    if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*")) {
      return new Path(trimmed);
    }
    return new Path(new File(trimmed).getAbsoluteFile().toURI());
  }

  /**
   * Writes the new job's first version, then claims its token. False when another create
   * claimed the token first. Anything that fails half-way removes the job's directory, so that a
   * full or read-only store never leaves a job that was not reported as created.
   */
  private boolean claimed(JobRecord job, Path token) {
    Path dir = jobDirectory(job.jobId());
    try {
      if (!writeVersion(job)) {
        throw new JobStoreException("job id " + job.jobId() + " is taken in " + location());
      }
      if (write(token, job.jobId().getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    } catch (JobStoreException e) {
      throw new JobStoreException("cannot create a job in " + location() + ": " + e.getMessage()
          + removed(dir), e);
    }
    delete(dir);
    return false;
  }

  /** Removes a half-created job's directory; says so when even that fails. */
  private String removed(Path dir) {
    try {
      fs.delete(dir, true);
      return "; nothing was recorded";
    } catch (IOException e) {
      return "; delete " + dir + " by hand (" + e.getMessage() + ")";
    }
  }

  /** The newest readable version; empty when the job has none (not created, or being created). */
  private Optional<JobRecord> newest(String jobId) {
    Path records = new Path(jobDirectory(jobId), RECORDS);
    // a version listed can be pruned before it is read, when many writes pass in between
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      OptionalLong version = newestVersion(records);
      Path file = version.isPresent() ? versionFile(jobId, version.getAsLong())
          : new Path(jobDirectory(jobId), LEGACY_RECORD);
      try {
        return Optional.of(fromStored(read(file), file, version.orElse(0)));
      } catch (FileNotFoundException e) {
        if (version.isEmpty()) {
          return Optional.empty();
        }
      } catch (IOException e) {
        throw new JobStoreException("cannot read job " + jobId + " from " + file + ": "
            + e.getMessage(), e);
      }
    }
    throw new JobStoreException("job " + jobId + " in " + location() + ": its record changed "
        + MAX_TRIES + " times while this reader read it; retry");
  }

  private OptionalLong newestVersion(Path records) {
    return versions(records).stream().mapToLong(FileStatus::getLen).max();
  }

  /** The version files of a job, as statuses whose length field holds the version number. */
  private List<FileStatus> versions(Path records) {
    List<FileStatus> versions = new ArrayList<>();
    try {
      for (FileStatus file : fs.listStatus(records)) {
        Matcher name = VERSION_FILE.matcher(file.getPath().getName());
        if (name.matches()) {
          versions.add(new FileStatus(Long.parseLong(name.group(1)), false, 1, 0,
              file.getModificationTime(), file.getPath()));
        }
      }
    } catch (FileNotFoundException noRecordsYet) {
      return List.of();
    } catch (IOException e) {
      throw new JobStoreException("cannot list " + records + ": " + e.getMessage(), e);
    }
    return versions;
  }

  private Path versionFile(String jobId, long version) {
    return new Path(new Path(jobDirectory(jobId), RECORDS), String.format("%09d.json", version));
  }

  /** Writes the record as its version unless that version exists (another writer won). */
  private boolean writeVersion(JobRecord job) {
    return write(versionFile(job.jobId(), job.version()),
        toStored(job).getBytes(StandardCharsets.UTF_8));
  }

  private boolean write(Path file, byte[] bytes) {
    try {
      return writeIfAbsent.write(file, bytes);
    } catch (IOException e) {
      throw new JobStoreException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes versions older than the last few, once they are old enough that no writer can still
   * be about to write the version after them; only every few writes, as it lists the versions.
   */
  private void prune(String jobId, long newest) {
    if (newest % KEEP_VERSIONS != 0) {
      return;
    }
    long before = System.currentTimeMillis() - PRUNE_AFTER.toMillis();
    for (FileStatus version : versions(new Path(jobDirectory(jobId), RECORDS))) {
      if (version.getLen() <= newest - KEEP_VERSIONS && version.getModificationTime() < before) {
        delete(version.getPath());
      }
    }
  }

  /** A short random pause, so that writers that keep colliding drift apart. */
  private static void pauseAfterLosing(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2 + Math.min(attempt, 10) * 5L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobStoreException("interrupted while writing a job record", e);
    }
  }

  private Path tokenFile(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8));
      return new Path(new Path(root, "tokens"), HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The job this token created, if any; refuses the token's reuse for another spec. */
  private Optional<JobRecord> jobCreatedWith(Path token, JobSpec spec) {
    String jobId;
    try {
      jobId = read(token).trim();
    } catch (FileNotFoundException unused) {
      return Optional.empty();
    } catch (IOException e) {
      throw new JobStoreException("cannot read token file " + token + ": " + e.getMessage(), e);
    }
    JobRecord job = get(jobId);
    if (!job.spec().sameRequestAs(spec)) {
      throw new IdempotencyException(spec.clientRequestToken(), jobId);
    }
    return Optional.of(job);
  }

  private String read(Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void delete(Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException e) {
      throw new JobStoreException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  private FileStatus[] jobDirectories() {
    Path jobs = new Path(root, "jobs");
    try {
      return fs.listStatus(jobs, path -> !path.getName().startsWith("."));
    } catch (FileNotFoundException noJobsYet) {
      return new FileStatus[0];
    } catch (IOException e) {
      throw new JobStoreException("cannot list " + jobs + ": " + e.getMessage(), e);
    }
  }

  /** The stored document: DescribeJob's Job, the CreateJob request, and our own additions. */
  private static String toStored(JobRecord job) {
    ObjectNode doc = JobJson.MAPPER.createObjectNode();
    doc.put("FormatVersion", FORMAT_VERSION);
    doc.set("Job", JobDescriptors.jobDescriptor(job));
    doc.set("CreateJobRequest", job.spec().tree());
    if (job.reportLocation() != null) {
      doc.put("ReportLocation", job.reportLocation());
    }
    ArrayNode tags = doc.putArray("Tags");
    job.tags().forEach(t -> tags.addObject().put("Key", t.key()).put("Value", t.value()));
    if (job.lease() != null) {
      RunLease lease = job.lease();
      doc.putObject("Lease").put("RunId", lease.runId()).put("Host", lease.host())
          .put("ApplicationId", lease.applicationId())
          .put("Heartbeat", lease.heartbeat().toString())
          .put("TimeoutSeconds", lease.timeout().toSeconds());
    }
    try {
      return JobJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job record must serialise", e);
    }
  }

  /** The stored tags; a record written before tags were stored has the spec's. */
  private static List<S3Tag> tags(JsonNode doc, JobSpec spec) {
    if (!doc.has("Tags")) {
      return spec.request().tags();
    }
    List<S3Tag> tags = new ArrayList<>();
    doc.get("Tags").forEach(t -> tags.add(new S3Tag(t.path("Key").asText(),
        t.path("Value").asText(""))));
    return tags;
  }

  private static RunLease lease(JsonNode lease) {
    if (lease == null || lease.isNull()) {
      return null;
    }
    return new RunLease(lease.path("RunId").asText(null), lease.path("Host").asText(null),
        lease.path("ApplicationId").asText(null),
        Instant.parse(lease.path("Heartbeat").asText()),
        Duration.ofSeconds(lease.path("TimeoutSeconds").asLong()));
  }

  /** The record a file holds; anything that is not one is reported as a corrupt file. */
  private JobRecord fromStored(String text, Path file, long version) {
    JsonNode doc;
    try {
      doc = JobJson.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new CorruptJobRecordException(file.toString(), "not JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
    }
    if (doc == null || !doc.isObject()) {
      throw new CorruptJobRecordException(file.toString(), "not a JSON object", null);
    }
    if (!doc.path("FormatVersion").isInt()) {
      throw new CorruptJobRecordException(file.toString(), "no FormatVersion", null);
    }
    if (doc.path("FormatVersion").asInt() != FORMAT_VERSION) {
      throw new JobStoreException(file + " has record format " + doc.path("FormatVersion")
          + "; this build reads format " + FORMAT_VERSION);
    }
    if (!doc.path("CreateJobRequest").isObject() || !doc.path("Job").isObject()) {
      throw new CorruptJobRecordException(file.toString(), "no Job or no CreateJobRequest",
          null);
    }
    try {
      JobSpec spec = JobSpecParser.parse(doc.get("CreateJobRequest").toString());
      return JobRecord.fromJobDescriptor(doc.get("Job"), spec,
          doc.path("ReportLocation").asText(null), tags(doc, spec), lease(doc.get("Lease")),
          version);
    } catch (RuntimeException e) { // a spec refused, a field missing or out of range
      throw new CorruptJobRecordException(file.toString(), String.valueOf(e.getMessage())
          .strip().replace("\n", "; "), e);
    }
  }
}
