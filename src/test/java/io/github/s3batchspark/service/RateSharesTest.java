package io.github.s3batchspark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of the caps on starts, and how they settle on executors that are short of CPU
 * (simulated: the jobs share a fixed number of objects per second, capped jobs take at most
 * their cap, the others split what is left evenly, as the OS splits the CPU between threads).
 */
class RateSharesTest {
  private static final double NONE = RateShares.NONE;
  /** What priority 10 is owed beside priority 90: 11 / 102 of the two jobs' rate. */
  private static final double LOW_WEIGHT = 11.0 / 102;

  @Test
  void onlyTheJobAboveItsPrioritysShareOfTheCombinedRateIsCappedAtThatShareWithHeadroom() {
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, 500), "low", new RateShares.Job(10, 500)), 0);

    assertEquals(NONE, caps.get("high"), "below its target of 892 objects/s: no cap");
    assertEquals(1000 * LOW_WEIGHT * (1 + RateShares.HEADROOM), caps.get("low"), 1e-9);
  }

  @Test
  void ofThreeJobsThoseOwedLessThanAnEvenSplitAreCappedAboveTheirTargets() {
    Map<String, Double> caps = RateShares.caps(Map.of(
        "big", new RateShares.Job(59, 400), "mid", new RateShares.Job(29, 400),
        "small", new RateShares.Job(9, 200)), 0);

    assertEquals(NONE, caps.get("big"));
    assertEquals(300 * (1 + RateShares.HEADROOM), caps.get("mid"), 1e-9);
    assertEquals(100 * (1 + RateShares.HEADROOM), caps.get("small"), 1e-9);
  }

  @Test
  void aJobAloneIsNotCappedWhateverItsPriority() {
    assertEquals(Map.of("only", NONE),
        RateShares.caps(Map.of("only", new RateShares.Job(0, 5_000)), 0));
  }

  @Test
  void aJobWithNoWaveRunningDoesNotCompeteSoTheOtherIsNotCapped() {
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, false, 0, NONE), "low", new RateShares.Job(10, 2_000)),
        2_000);

    assertEquals(Map.of("high", NONE, "low", NONE), caps);
  }

  @Test
  void aJobWaitingForItsFirstRateHasNobodyCappedSoTheJobHoldingTheTaskSlotsEnds() {
    // The high job's wave waits for task slots that the low job's tasks hold: capping the low
    // job would only keep the slots longer from it.
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, true, RecentRate.UNKNOWN, NONE),
        "low", new RateShares.Job(10, 1_000)), 1_000);

    assertEquals(Map.of("high", NONE, "low", NONE), caps);
  }

  @Test
  void aLowJobWhoseWaveJustBeganIsCappedAtOnceAtItsShareOfWhatTheOtherDoes() {
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, 1_000),
        "low", new RateShares.Job(10, true, RecentRate.UNKNOWN, NONE)), 0);

    assertEquals(1000 * LOW_WEIGHT * (1 + RateShares.HEADROOM), caps.get("low"), 1e-9);
    assertEquals(NONE, caps.get("high"));
  }

  @Test
  void aJobThatDoesNoObjectsInItsWaveDoesNotCompete() {
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, 0), "low", new RateShares.Job(10, 1_000)), 1_000);

    assertEquals(Map.of("high", NONE, "low", NONE), caps);
  }

  @Test
  void aCappedJobKeepsItsCapBetweenItsWavesAndIntoTheNextUntilItsRateShows() {
    RateShares.Job high = new RateShares.Job(90, 900);
    for (RateShares.Job low : List.of(new RateShares.Job(10, false, 0, 135),
        new RateShares.Job(10, true, RecentRate.UNKNOWN, 135))) {
      assertEquals(135, RateShares.caps(Map.of("high", high, "low", low), 1_000).get("low"));
      assertEquals(NONE, RateShares.caps(Map.of("low", low), 1_000).get("low"),
          "nobody else competes: lifted");
    }
  }

  @Test
  void capsAreSharesOfWhatTheJobsDidLatelySoACappedJobsFallDoesNotPullItsCapDown() {
    // The low job was capped and falls towards its cap; the high job's rate still lags behind.
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, 300), "low", new RateShares.Job(10, 400).cappedAt(135)),
        1_000);

    assertEquals(1000 * LOW_WEIGHT * (1 + RateShares.HEADROOM), caps.get("low"), 1e-9);
  }

  @Test
  void neitherALowJobBelowItsTargetNorAHighJobAboveItIsCapped() {
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, 950), "low", new RateShares.Job(10, 50)), 0);

    assertEquals(NONE, caps.get("low"));
    assertEquals(NONE, caps.get("high"), "above its target, but owed more than an even split");
  }

  @Test
  void aCappedJobKeepsItsCapJustBelowItsTargetAndLosesItWellBelow() {
    // Target of the low job: 11 / 102 of 1,000 objects/s, some 108.
    RateShares.Job justBelow = new RateShares.Job(10, 100).cappedAt(135);
    RateShares.Job wellBelow = new RateShares.Job(10, 40).cappedAt(135);

    assertEquals(1000 * LOW_WEIGHT * (1 + RateShares.HEADROOM), RateShares.caps(Map.of(
        "high", new RateShares.Job(90, 900), "low", justBelow), 0).get("low"), 1e-9);
    assertEquals(NONE, RateShares.caps(Map.of(
        "high", new RateShares.Job(90, 960), "low", wellBelow), 0).get("low"),
        "it cannot use its share: the cap would only waste");
    assertEquals(NONE, RateShares.caps(Map.of("low", justBelow), 0).get("low"), "alone");
  }

  @Test
  void sharesSettleFromAnImbalancedStartWithinTwoComputationsAndTheCombinedRateHolds() {
    Map<String, Integer> priorities = Map.of("high", 90, "low", 10);
    // The low job started first and has the CPU: 900 of the 1,000 objects/s the machine does.
    Map<String, Double> rates = Map.of("high", 100.0, "low", 900.0);

    List<Map<String, Double>> history = simulate(priorities, rates, 5);

    double low = 1000 * LOW_WEIGHT * (1 + RateShares.HEADROOM);
    for (Map<String, Double> tick : history.subList(1, history.size())) {
      assertEquals(low, tick.get("low"), 1e-9, "the low job held at its share: " + history);
      assertEquals(1000 - low, tick.get("high"), 1e-9, "the high job takes the rest");
    }
  }

  @Test
  void sharesSettleFromEvenRatesAndSwapAtTheNextComputationWhenThePrioritiesSwap() {
    Map<String, Integer> priorities = new HashMap<>(Map.of("a", 90, "b", 10));
    List<Map<String, Double>> before = simulate(priorities, Map.of("a", 500.0, "b", 500.0), 4);
    Map<String, Double> settled = before.get(before.size() - 1);
    double low = 1000 * LOW_WEIGHT * (1 + RateShares.HEADROOM);
    assertEquals(low, settled.get("b"), 1e-9, before.toString());

    priorities.putAll(Map.of("a", 10, "b", 90));
    List<Map<String, Double>> after = simulate(priorities, settled, 3);

    assertEquals(low, after.get(1).get("a"), 1e-9, "swapped at the first computation: " + after);
    assertEquals(1000 - low, after.get(1).get("b"), 1e-9);
    assertEquals(after.get(1).get("a"), after.get(2).get("a"), 1e-9, "and stays there");
    assertEquals(after.get(1).get("b"), after.get(2).get("b"), 1e-9);
  }

  @Test
  void theCappedJobIsFreedWhileTheOtherHasNoWaveRunning() {
    Map<String, Double> caps = RateShares.caps(Map.of(
        "high", new RateShares.Job(90, false, 0, NONE),
        "low", new RateShares.Job(10, 135).cappedAt(135)), 1_000);

    assertEquals(NONE, caps.get("low"), "between the other's waves it may take the machine");
  }

  /**
   * The rates of {@code ticks} seconds, the first the given ones: each second the caps come
   * from the last second's rates, and the machine's 1,000 objects/s are split under them.
   */
  private static List<Map<String, Double>> simulate(Map<String, Integer> priorities,
      Map<String, Double> start, int ticks) {
    List<Map<String, Double>> history = new ArrayList<>();
    Map<String, Double> rates = start;
    Map<String, Double> caps = Map.of();
    history.add(rates);
    for (int i = 1; i < ticks; i++) {
      Map<String, RateShares.Job> jobs = new HashMap<>();
      for (String id : priorities.keySet()) {
        jobs.put(id, new RateShares.Job(priorities.get(id), rates.get(id))
            .cappedAt(caps.getOrDefault(id, NONE)));
      }
      caps = RateShares.caps(jobs, 0);
      rates = cpuBound(1000, caps);
      history.add(rates);
    }
    return history;
  }

  /** Water-filling: jobs capped below an even split take their cap, the rest share the rest. */
  private static Map<String, Double> cpuBound(double capacity, Map<String, Double> caps) {
    Map<String, Double> rates = new LinkedHashMap<>();
    List<String> byCap = caps.keySet().stream().sorted(Comparator.comparing(caps::get)).toList();
    double left = capacity;
    int others = byCap.size();
    for (String id : byCap) {
      double rate = Math.min(caps.get(id), left / others);
      rates.put(id, rate);
      left -= rate;
      others--;
    }
    return rates;
  }
}
