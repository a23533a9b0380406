package com.posloyalty.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The rate search alone, against a simulated server that keeps up to a known rate. */
class FindMaxTest {

  private static final Duration BUDGET = Duration.ofMillis(250);

  /** A server that answers within budget up to {@code capacity} arrivals/s, and not above. */
  private static final class Simulated implements FindMax.Step {
    final double capacity;
    /** Rates whose first run is hit by a stall of the machine and fails. */
    final Set<Double> stallOnce = new HashSet<>();
    final List<Double> rates = new ArrayList<>();

    Simulated(double capacity) {
      this.capacity = capacity;
    }

    @Override
    public RunResult run(Scenario scenario, double rate) {
      rates.add(rate);
      boolean keepsUp = rate <= capacity && !stallOnce.remove(rate);
      OperationResult op = new OperationResult("call", (long) rate, Math.min(rate, capacity),
          1.0, keepsUp ? 5.0 : 900.0, 10.0, 20.0, 0, Map.of(), null);
      return new RunResult("s", "step", rate, 1, "call", "call", Map.of("call", op), null, null);
    }
  }

  private static final Scenario SCENARIO = new Scenario() {
    @Override
    public String name() {
      return "s";
    }

    @Override
    public List<String> operations() {
      return List.of("call");
    }

    @Override
    public String headline() {
      return "call";
    }

    @Override
    public CompletableFuture<?> arrive(long dueNanos, Recording recording) {
      throw new UnsupportedOperationException();
    }
  };

  @Test
  void doublesThenHalvesTheGap() throws InterruptedException {
    Simulated server = new Simulated(5_000);
    FindMax.Search search = new FindMax(server, 100_000, 3, 0).search(SCENARIO, 1_000, BUDGET);

    assertThat(server.rates).containsExactly(1_000d, 2_000d, 4_000d, 8_000d, 6_000d, 5_000d,
        5_500d);
    assertThat(search.best().offeredRate()).isEqualTo(5_000d);
    assertThat(search.best().mode()).isEqualTo("max");
  }

  @Test
  void triesTheCapItselfWhenTheNextDoublingWouldPassIt() throws InterruptedException {
    Simulated server = new Simulated(90_000);
    FindMax.Search search = new FindMax(server, 100_000, 3, 0).search(SCENARIO, 4_000, BUDGET);

    // 4k … 64k pass; 128k lies past the cap, so the cap is tried, fails, and the gap
    // between 64k and 100k is halved.
    assertThat(server.rates).containsExactly(4_000d, 8_000d, 16_000d, 32_000d, 64_000d,
        100_000d, 82_000d, 91_000d, 86_500d);
    assertThat(search.best().offeredRate()).isEqualTo(86_500d);
  }

  @Test
  void stopsAtTheCapWhenEvenThatPasses() throws InterruptedException {
    Simulated server = new Simulated(1_000_000);
    FindMax.Search search = new FindMax(server, 100_000, 3, 0).search(SCENARIO, 40_000, BUDGET);

    assertThat(server.rates).containsExactly(40_000d, 80_000d, 100_000d);
    assertThat(search.best().offeredRate()).isEqualTo(100_000d);
  }

  @Test
  void searchesBelowAFailedFirstStep() throws InterruptedException {
    Simulated server = new Simulated(100);
    FindMax.Search search = new FindMax(server, 100_000, 3, 0).search(SCENARIO, 200, BUDGET);

    assertThat(server.rates).containsExactly(200d, 100d, 150d, 125d);
    assertThat(search.best().offeredRate()).isEqualTo(100d);
  }

  @Test
  void noPassingStepHasNoBest() throws InterruptedException {
    Simulated server = new Simulated(10);
    FindMax.Search search = new FindMax(server, 100_000, 3, 0).search(SCENARIO, 200, BUDGET);

    assertThat(server.rates).containsExactly(200d, 100d, 50d, 25d);
    assertThat(search.best()).isNull();
  }

  @Test
  void aStallAtOneStepEndsASearchWithoutRetries() throws InterruptedException {
    Simulated server = new Simulated(5_000);
    server.stallOnce.add(2_000d);
    FindMax.Search search = new FindMax(server, 100_000, 3, 0).search(SCENARIO, 1_000, BUDGET);

    assertThat(server.rates).containsExactly(1_000d, 2_000d, 1_500d, 1_750d, 1_875d);
    assertThat(search.best().offeredRate()).isEqualTo(1_875d);
  }

  @Test
  void aFailedStepIsRunAgainAndOnlyARepeatedFailureEndsTheClimb()
      throws InterruptedException {
    Simulated server = new Simulated(5_000);
    server.stallOnce.add(2_000d);
    FindMax.Search search = new FindMax(server, 100_000, 3, 1).search(SCENARIO, 1_000, BUDGET);

    // 2k stalls once and passes on its second run; 8k, 6k and 5.5k are past the capacity
    // and fail twice each.
    assertThat(server.rates).containsExactly(1_000d, 2_000d, 2_000d, 4_000d, 8_000d, 8_000d,
        6_000d, 6_000d, 5_000d, 5_500d, 5_500d);
    assertThat(search.best().offeredRate()).isEqualTo(5_000d);
    assertThat(search.steps()).hasSize(11);
    assertThat(search.steps().stream().filter(r -> !FindMax.passes(r, BUDGET)))
        .as("the failed runs stay in the steps").hasSize(7);
  }
}
