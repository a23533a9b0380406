package com.posloyalty.server.flow;

import com.posloyalty.server.cache.MemberCache;
import com.posloyalty.server.domain.AppTokens;
import com.posloyalty.server.domain.CardNumber;
import com.posloyalty.server.domain.ContactDetails;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.store.AuditLog;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.MemberStore;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * Recognises a member. A cache hit is one Redis round trip and no SQL, and holds no thread
 * while Redis answers; a miss reads PostgreSQL on a worker and fills the cache.
 */
@Singleton
public final class IdentifyMemberFlow {

  private final Database db;
  private final ProgramStore program;
  private final MemberStore members;
  private final MemberViews views;
  private final MemberCache cache;
  private final String callingCode;
  private final Optional<AppTokens> appTokens;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  IdentifyMemberFlow(Database db, ProgramStore program, MemberStore members, MemberViews views,
      MemberCache cache, @Named("phoneCountryCode") String callingCode,
      Optional<AppTokens> appTokens, AuditLog audit, Clock clock) {
    this.db = db;
    this.program = program;
    this.members = members;
    this.views = views;
    this.cache = cache;
    this.callingCode = callingCode;
    this.appTokens = appTokens;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * A short-lived token for the member's app to show as a QR code, audited as issued by
   * {@code actor} (the record holds the lifetime, never the token, which identifies the
   * member until it expires). Only for ACTIVE members; refused when app tokens are not
   * configured.
   */
  public AppToken issueAppToken(String memberId, Optional<Duration> ttl, int defaultTtlSeconds,
      String actor) {
    AppTokens tokens = appTokens();
    Duration validFor = ttl.orElse(Duration.ofSeconds(defaultTtlSeconds));
    return db.inTransaction(c -> {
      views.member(c, memberId).requireActive();
      Instant now = clock.instant();
      audit.record(c, memberId, "APP_TOKEN_ISSUED", actor,
          "valid for " + validFor.toSeconds() + " s", now);
      return new AppToken(tokens.issue(memberId, now, validFor), now.plus(validFor));
    });
  }

  private AppTokens appTokens() {
    return appTokens.orElseThrow(() -> Refusal.of(Refusal.Kind.FAILED_PRECONDITION,
        "APP_TOKENS_NOT_ENABLED",
        "app QR tokens are not enabled on this server (LOYALTY_APP_TOKEN_KEYS)"));
  }

  /** An issued app token and when it expires. */
  public record AppToken(String token, Instant expiresAt) {}

  /**
   * The member a request identifies. A cache hit completes on Redis's reply; whatever needs
   * PostgreSQL (an identifier or a member not cached) continues on {@code blocking}. Bad
   * input is refused at once (thrown); a refusal found later completes the stage with it.
   */
  public CompletionStage<MemberSummary> identify(IdentifyMemberRequest request,
      Executor blocking) {
    return switch (request.getIdentifierCase()) {
      case MEMBER_ID -> byMemberId(request.getMemberId(), blocking);
      case CARD_NUMBER -> {
        String card = CardNumber.validate(request.getCardNumber(), "card_number");
        yield byIdentifier("card:" + card, c -> members.findIdByCard(c, card), blocking);
      }
      case PHONE -> {
        String phone = ContactDetails.normalizePhone(request.getPhone(), "phone", callingCode);
        yield byIdentifier("phone:" + phone, c -> members.findIdByPhone(c, phone), blocking);
      }
      case EMAIL -> {
        String email = ContactDetails.normalizeEmail(request.getEmail(), "email");
        yield byIdentifier("email:" + email, c -> members.findIdByEmail(c, email), blocking);
      }
      case APP_TOKEN -> byMemberId(appTokens().verify(request.getAppToken(), clock.instant()),
          blocking);
      case IDENTIFIER_NOT_SET -> throw Refusal.invalid("FIELD_REQUIRED", "identifier",
          "one of card_number, phone, email, member_id, app_token is required");
    };
  }

  private CompletionStage<MemberSummary> byMemberId(String memberId, Executor blocking) {
    return cache.getAsync(memberId).thenCompose(cached -> cached.isPresent()
        ? CompletableFuture.completedStage(cached.get())
        : CompletableFuture.supplyAsync(() -> loadAndPublish(memberId), blocking));
  }

  private interface Lookup {
    Optional<String> find(Connection c) throws SQLException;
  }

  private CompletionStage<MemberSummary> byIdentifier(String identifier, Lookup lookup,
      Executor blocking) {
    return cache.resolveAsync(identifier).thenCompose(resolved -> {
      if (resolved.isPresent() && resolved.get().summary().isPresent()) {
        return CompletableFuture.completedStage(resolved.get().summary().get());
      }
      return CompletableFuture.supplyAsync(() -> resolved.isPresent()
          ? loadAndPublish(resolved.get().memberId()) : lookUp(identifier, lookup), blocking);
    });
  }

  private MemberSummary lookUp(String identifier, Lookup lookup) {
    String memberId = db.read(lookup::find).orElseThrow(
        () -> Refusal.notFound("MEMBER_NOT_FOUND", "no member with this " + kind(identifier)));
    cache.putIdentifier(identifier, memberId);
    return loadAndPublish(memberId);
  }

  private MemberSummary loadAndPublish(String memberId) {
    ProgramRules rules = program.current();
    return views.publish(db.read(c -> views.load(c, rules, memberId)));
  }

  private static String kind(String identifier) {
    return identifier.substring(0, identifier.indexOf(':')).replace("card", "card number");
  }
}
