package io.github.s3batchspark.job;

import org.apache.hadoop.conf.Configuration;

/**
 * A second process that writes a job's record: {@code STORE JOB_ID COUNT} raises the priority by
 * one, COUNT times, as a user would with update-job-priority. It prints {@code ready} after its
 * first write, so that the test writes while this process does.
 */
public final class PriorityWriterProcess {
  private PriorityWriterProcess() {}

  public static void main(String[] args) {
    JobStore store = HadoopJobStore.open(args[0], new Configuration(), null);
    int count = Integer.parseInt(args[2]);
    for (int i = 0; i < count; i++) {
      store.update(args[1], Owner.USER, job -> job.withPriority(job.priority() + 1));
      if (i == 0) {
        System.out.println("ready");
        System.out.flush();
      }
    }
  }
}
