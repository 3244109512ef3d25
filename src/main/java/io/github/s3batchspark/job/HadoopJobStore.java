package io.github.s3batchspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A {@link JobStore} on any Hadoop FileSystem: a local directory by default, HDFS, or an object
 * store ({@code s3a://bucket/prefix}, EMRFS {@code s3://}) on a cluster.
 *
 * <p>Layout: {@code <store>/jobs/<jobId>/job.json} is the record (DescribeJob's {@code Job} plus
 * the CreateJob request it came from); {@code <store>/jobs/<jobId>/} also holds what the runner
 * writes for the job; {@code <store>/tokens/<sha256(ClientRequestToken)>} holds the job id a
 * token created, so that create is idempotent without scanning every job.
 *
 * <p>Records are replaced atomically where the file system can rename atomically (write a
 * temporary file, rename it over the record: an atomic move locally, {@code
 * Rename.OVERWRITE} on HDFS), so a reader never sees half a record. Object stores have no
 * atomic rename, but a PUT is atomic on its own, so there the record is overwritten directly.
 *
 * <p>A token is claimed by creating its file only if absent. Hadoop file systems other than HDFS
 * check and create in two steps, so two creates with the same token in the same instant from two
 * processes may both make a job; one command at a time, as the CLI runs, is always idempotent.
 */
public final class HadoopJobStore implements JobStore {
  /** Region in job ARNs when none is given: where a local run pretends to be. */
  public static final String DEFAULT_REGION = "us-east-1";
  private static final int FORMAT_VERSION = 1;
  private static final String RECORD = "job.json";
  private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss",
      "cosn", "obs");

  private final Path root;
  private final Configuration conf;
  private final FileSystem fs;
  private final String region;

  public HadoopJobStore(Path root, Configuration conf, String region) {
    this.conf = conf;
    try {
      FileSystem opened = root.getFileSystem(conf);
      // locally, skip the checksum layer: its .crc side files would go stale under the atomic
      // replace below, and the record is small JSON that is parsed (so checked) on every read
      this.fs = opened instanceof LocalFileSystem local ? local.getRaw() : opened;
    } catch (IOException e) {
      throw new JobStoreException("cannot open job store " + root + ": " + e.getMessage(), e);
    }
    this.root = fs.makeQualified(root);
    this.region = region == null || region.isBlank() ? DEFAULT_REGION : region;
  }

  /**
   * Opens the store at {@code location}: a Hadoop URI ({@code s3a://bucket/jobs}), a local path
   * ({@code ~} is the home directory), or, when null or blank, {@link #defaultLocation()}.
   */
  public static HadoopJobStore open(String location, Configuration conf, String region) {
    return new HadoopJobStore(toPath(location), conf, region);
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
    JobRecord job = JobRecord.newJob(JobRecord.newJobId(), spec, Instant.now(), region);
    writeRecord(job);
    if (!claim(token, job.jobId())) {
      // another create with the same token won the race: its job is the one
      delete(jobDirectory(job.jobId()));
      return jobCreatedWith(token, spec).orElseThrow(() -> new JobStoreException(
          "token file " + token + " vanished while creating a job: retry create-job"));
    }
    return job;
  }

  @Override
  public JobRecord get(String jobId) {
    Path file = recordFile(jobId);
    try {
      return fromStored(read(file), file);
    } catch (FileNotFoundException e) {
      throw new JobNotFoundException(jobId, location());
    } catch (IOException e) {
      throw new JobStoreException("cannot read job " + jobId + " from " + file + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public List<JobRecord> list(Set<JobStatus> statuses) {
    List<JobRecord> jobs = new ArrayList<>();
    for (FileStatus dir : jobDirectories()) {
      Path file = new Path(dir.getPath(), RECORD);
      try {
        JobRecord job = fromStored(read(file), file);
        if (statuses.isEmpty() || statuses.contains(job.status())) {
          jobs.add(job);
        }
      } catch (FileNotFoundException beingCreated) {
        // a directory without its record yet: a create in progress, not a job
      } catch (IOException e) {
        throw new JobStoreException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    jobs.sort(Comparator.comparing(JobRecord::creationTime).reversed()
        .thenComparing(JobRecord::jobId));
    return jobs;
  }

  @Override
  public JobRecord update(JobRecord job) {
    JobRecord stored = get(job.jobId());
    if (!stored.spec().equals(job.spec())) {
      throw new JobStoreException("job " + job.jobId() + " in " + location()
          + " was created from a different spec; a job's spec never changes");
    }
    if (!stored.status().canReach(job.status())) {
      throw new JobStatusTransitionException(job.jobId(), stored.status(), job.status());
    }
    writeRecord(job);
    return job;
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

  private Path recordFile(String jobId) {
    return new Path(jobDirectory(jobId), RECORD);
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

  /** Writes the token file unless it exists; false when another create got there first. */
  private boolean claim(Path token, String jobId) {
    try {
      if (fs.exists(token)) {
        return false;
      }
      try (OutputStream out = fs.create(token, false)) {
        out.write(jobId.getBytes(StandardCharsets.UTF_8));
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new JobStoreException("cannot write token file " + token + ": " + e.getMessage(), e);
    }
  }

  private void writeRecord(JobRecord job) {
    Path file = recordFile(job.jobId());
    byte[] bytes = toStored(job).getBytes(StandardCharsets.UTF_8);
    try {
      if (OBJECT_STORES.contains(fs.getUri().getScheme())) {
        write(file, bytes, true);
        return;
      }
      Path temporary = new Path(file.getParent(), "." + RECORD + "." + UUID.randomUUID()
          + ".tmp");
      write(temporary, bytes, false);
      if (fs instanceof RawLocalFileSystem) {
        Files.move(Paths.get(temporary.toUri()), Paths.get(file.toUri()),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        FileContext.getFileContext(fs.getUri(), conf)
            .rename(temporary, file, Options.Rename.OVERWRITE);
      }
    } catch (IOException e) {
      throw new JobStoreException("cannot write job " + job.jobId() + " to " + file + ": "
          + e.getMessage(), e);
    }
  }

  private void write(Path file, byte[] bytes, boolean overwrite) throws IOException {
    try (OutputStream out = fs.create(file, overwrite)) {
      out.write(bytes);
    }
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
    try {
      return JobJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job record must serialise", e);
    }
  }

  private JobRecord fromStored(String text, Path file) {
    try {
      JsonNode doc = JobJson.MAPPER.readTree(text);
      if (doc.path("FormatVersion").asInt() != FORMAT_VERSION) {
        throw new JobStoreException(file + " has record format " + doc.path("FormatVersion")
            + "; this build reads format " + FORMAT_VERSION);
      }
      JobSpec spec = JobSpecParser.parse(doc.get("CreateJobRequest").toString());
      return JobRecord.fromJobDescriptor(doc.get("Job"), spec,
          doc.path("ReportLocation").asText(null));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new JobStoreException(file + " is not a job record this build can read: "
          + e.getMessage(), e);
    }
  }
}
