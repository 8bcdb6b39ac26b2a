package dev.tuning.operator.reconciler;

import dev.tuning.operator.provider.ProviderJob;
import java.time.Instant;
import java.util.Objects;

/**
 * A provider job as the batched poll ({@link BatchPoller}) last listed it. Two are equal when the
 * job is: the time it was listed is not compared, so a poll that finds nothing changed causes no
 * reconcile.
 */
public final class ListedJob {

  private final ProviderJob job;
  private final Instant listedAt;

  ListedJob(ProviderJob job, Instant listedAt) {
    this.job = Objects.requireNonNull(job, "job");
    this.listedAt = Objects.requireNonNull(listedAt, "listedAt");
  }

  public ProviderJob job() {
    return job;
  }

  /** When the list that showed the job began: the job was in this state then or later. */
  public Instant listedAt() {
    return listedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListedJob other && job.equals(other.job);
  }

  @Override
  public int hashCode() {
    return job.hashCode();
  }

  @Override
  public String toString() {
    return "ListedJob[" + job.id() + " " + job.rawState() + " at " + listedAt + "]";
  }
}
