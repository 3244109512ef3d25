package io.github.s3batchspark.job;

import io.github.s3batchspark.execution.ClientSettings;
import io.github.s3batchspark.execution.ExecutorClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a whole file only if no file has its name yet, as one step that two writers (threads
 * or processes) cannot both win: the store's compare-and-set. A reader never sees half a file.
 *
 * <p>Hadoop's {@code create(path, overwrite=false)} is not that step everywhere: the local file
 * system checks and then creates, and s3a before Hadoop 3.4 (HADOOP-19256) sends no
 * {@code If-None-Match}. So each file system gets the step it can do atomically.
 */
interface WriteIfAbsent {

  /** False when the file already exists: another writer won. */
  boolean write(Path file, byte[] bytes) throws IOException;

  /** Object stores where a file is an object; s3a and EMRFS s3 speak the S3 API. */
  Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs");

  static WriteIfAbsent on(FileSystem fs, Configuration conf, ClientSettings clients) {
    String scheme = fs.getUri().getScheme();
    if (fs instanceof RawLocalFileSystem local) {
      return new HardLink(local);
    }
    if (scheme.equals("s3a") || scheme.equals("s3")) {
      return new ConditionalPut(clients);
    }
    if (OBJECT_STORES.contains(scheme)) {
      return new CheckThenCreate(fs);
    }
    return new RenameWithoutOverwrite(fs, conf);
  }

  /** A temporary file next to {@code file}, written whole; hidden from listings by its dot. */
  private static Path writeTemporary(FileSystem fs, Path file, byte[] bytes) throws IOException {
    Path temporary = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID()
        + ".tmp");
    try (OutputStream out = fs.create(temporary, true)) {
      out.write(bytes);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(fs, temporary);
      throw e;
    }
    return temporary;
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, false);
    } catch (IOException ignored) {
      // the write's own outcome is what the caller needs; a stray dot-file is never read
    }
  }

  /** Local disk: link(2) of a written temporary file fails if the name exists. */
  final class HardLink implements WriteIfAbsent {
    private final RawLocalFileSystem fs;

    HardLink(RawLocalFileSystem fs) {
      this.fs = fs;
    }

    @Override
    public boolean write(Path file, byte[] bytes) throws IOException {
      Path temporary = writeTemporary(fs, file, bytes);
      try {
        Files.createLink(fs.pathToFile(file).toPath(), fs.pathToFile(temporary).toPath());
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      } finally {
        deleteQuietly(fs, temporary);
      }
    }
  }

  /** HDFS and the like: rename without OVERWRITE is atomic and fails if the name exists. */
  final class RenameWithoutOverwrite implements WriteIfAbsent {
    private final FileSystem fs;
    private final Configuration conf;

    RenameWithoutOverwrite(FileSystem fs, Configuration conf) {
      this.fs = fs;
      this.conf = conf;
    }

    @Override
    public boolean write(Path file, byte[] bytes) throws IOException {
      Path temporary = writeTemporary(fs, file, bytes);
      try {
        FileContext.getFileContext(fs.getUri(), conf)
            .rename(temporary, file, Options.Rename.NONE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        deleteQuietly(fs, temporary);
      }
    }
  }

  /** S3 (s3a, EMRFS): a PUT with {@code If-None-Match: *}, sent through the SDK. */
  final class ConditionalPut implements WriteIfAbsent {
    // one client per settings and JVM, as for the executors' clients: building one costs more
    // than the write
    private static final Map<ClientSettings, S3Client> CLIENTS = new ConcurrentHashMap<>();
    private final ClientSettings clients;

    ConditionalPut(ClientSettings clients) {
      this.clients = clients;
    }

    @Override
    public boolean write(Path file, byte[] bytes) throws IOException {
      URI uri = file.toUri();
      String bucket = uri.getHost();
      String key = uri.getPath().substring(1);
      try {
        CLIENTS.computeIfAbsent(clients, ExecutorClients::syncClient).putObject(
            put -> put.bucket(bucket).key(key).ifNoneMatch("*").contentType("application/json"),
            RequestBody.fromBytes(bytes));
        return true;
      } catch (S3Exception e) {
        // 412: the object exists; 409 ConditionalRequestConflict: a PUT of it is under way
        if (e.statusCode() == 412 || e.statusCode() == 409) {
          return false;
        }
        throw new IOException("S3 refused PUT s3://" + bucket + "/" + key + " (HTTP "
            + e.statusCode() + " " + e.awsErrorDetails().errorCode() + ")", e);
      } catch (SdkException e) {
        throw new IOException("cannot PUT s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Other object stores (gs, oss, ...), which s3a's conditional PUT does not reach: check, then
   * create. Two writers within one round trip can both win; one writer at a time is safe.
   */
  final class CheckThenCreate implements WriteIfAbsent {
    private final FileSystem fs;

    CheckThenCreate(FileSystem fs) {
      this.fs = fs;
    }

    @Override
    public boolean write(Path file, byte[] bytes) throws IOException {
      if (fs.exists(file)) {
        return false;
      }
      try (OutputStream out = fs.create(file, false)) {
        out.write(bytes);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
  }
}
