package com.posloyalty.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads two of the server's Prometheus counters around each run: its cache lookups (so
 * the report shows the identify runs really were cache hits) and its database pool
 * checkouts (so it shows how many trips to PostgreSQL an arrival cost — none for an
 * identify served from the cache).
 */
final class ServerMetrics {

  /** Cumulative counts at one moment. */
  record Counters(double cacheHits, double cacheMisses, double poolCheckouts) {}

  private static final Pattern CACHE =
      Pattern.compile("(?m)^loyalty_cache_requests_total\\{result=\"(hit|miss)\",?\\} (\\S+)$");
  private static final Pattern POOL =
      Pattern.compile("(?m)^hikaricp_connections_acquire_seconds_count\\{[^}]*\\} (\\S+)$");

  private final Optional<URI> endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ServerMetrics(Optional<URI> endpoint) {
    this.endpoint = endpoint;
  }

  /** The counters now; empty when there is no endpoint or it does not answer. */
  Optional<Counters> read() throws InterruptedException {
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    try {
      String body = http.send(
          HttpRequest.newBuilder(endpoint.get()).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      double hits = 0;
      double misses = 0;
      Matcher cache = CACHE.matcher(body);
      while (cache.find()) {
        if (cache.group(1).equals("hit")) {
          hits = Double.parseDouble(cache.group(2));
        } else {
          misses = Double.parseDouble(cache.group(2));
        }
      }
      double checkouts = 0;
      Matcher pool = POOL.matcher(body);
      while (pool.find()) {
        checkouts += Double.parseDouble(pool.group(1));
      }
      return Optional.of(new Counters(hits, misses, checkouts));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The hit ratio between two readings; null when either is missing or nothing was looked up. */
  static Double hitRatio(Optional<Counters> before, Optional<Counters> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return null;
    }
    double hits = after.get().cacheHits() - before.get().cacheHits();
    double lookups = hits + after.get().cacheMisses() - before.get().cacheMisses();
    return lookups <= 0 ? null : hits / lookups;
  }

  /** Pool checkouts per arrival between two readings; null when either is missing. */
  static Double checkoutsPerArrival(Optional<Counters> before, Optional<Counters> after,
      double arrivals) {
    if (before.isEmpty() || after.isEmpty() || arrivals <= 0) {
      return null;
    }
    return (after.get().poolCheckouts() - before.get().poolCheckouts()) / arrivals;
  }
}
