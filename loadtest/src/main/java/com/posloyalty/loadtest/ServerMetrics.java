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
 * Reads the server's cache counters from its Prometheus endpoint, so a report can show
 * that the identify runs really were cache hits.
 */
final class ServerMetrics {

  /** Cumulative cache lookups the server answered from Redis and from PostgreSQL. */
  record CacheCounts(double hits, double misses) {}

  private static final Pattern CACHE =
      Pattern.compile("(?m)^loyalty_cache_requests_total\\{result=\"(hit|miss)\",?\\} (\\S+)$");

  private final Optional<URI> endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ServerMetrics(Optional<URI> endpoint) {
    this.endpoint = endpoint;
  }

  /** The counters now; empty when there is no endpoint or it does not answer. */
  Optional<CacheCounts> cacheCounts() throws InterruptedException {
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(endpoint.get()).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      double hits = 0;
      double misses = 0;
      Matcher m = CACHE.matcher(response.body());
      while (m.find()) {
        if (m.group(1).equals("hit")) {
          hits = Double.parseDouble(m.group(2));
        } else {
          misses = Double.parseDouble(m.group(2));
        }
      }
      return Optional.of(new CacheCounts(hits, misses));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The hit ratio between two readings; null when either is missing or nothing was looked up. */
  static Double hitRatio(Optional<CacheCounts> before, Optional<CacheCounts> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return null;
    }
    double hits = after.get().hits() - before.get().hits();
    double lookups = hits + after.get().misses() - before.get().misses();
    return lookups <= 0 ? null : hits / lookups;
  }
}
