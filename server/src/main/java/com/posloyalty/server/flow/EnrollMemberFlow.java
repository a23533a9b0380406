package com.posloyalty.server.flow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.posloyalty.server.cache.MemberCache;
import com.posloyalty.server.domain.CardNumber;
import com.posloyalty.server.domain.ContactDetails;
import com.posloyalty.server.domain.Ids;
import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.MemberView;
import com.posloyalty.server.domain.MonthDay;
import com.posloyalty.server.domain.Origin;
import com.posloyalty.server.domain.Pii;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.store.AuditLog;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.DuplicateKeyException;
import com.posloyalty.server.store.IdempotencyStore;
import com.posloyalty.server.store.MemberStore;
import com.posloyalty.server.store.Outbox;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

/** Signs a customer up at the lane: member, card, balance, welcome bonus, in one transaction. */
@Singleton
public final class EnrollMemberFlow {

  private static final String SCOPE = "enroll";

  private final Database db;
  private final ProgramStore program;
  private final MemberStore members;
  private final PointsAccount points;
  private final IdempotencyStore idempotency;
  private final AuditLog audit;
  private final Outbox outbox;
  private final MemberViews views;
  private final MemberCache cache;
  private final Clock clock;
  private final String callingCode;

  @Inject
  EnrollMemberFlow(Database db, ProgramStore program, MemberStore members, PointsAccount points,
      IdempotencyStore idempotency, AuditLog audit, Outbox outbox, MemberViews views,
      MemberCache cache, Clock clock, @Named("phoneCountryCode") String callingCode) {
    this.db = db;
    this.program = program;
    this.members = members;
    this.points = points;
    this.idempotency = idempotency;
    this.audit = audit;
    this.outbox = outbox;
    this.views = views;
    this.cache = cache;
    this.clock = clock;
    this.callingCode = callingCode;
  }

  private record Result(EnrollMemberResponse response, Optional<MemberView> view) {}

  public EnrollMemberResponse enroll(EnrollMemberRequest request, Origin origin) {
    Optional<String> phone = request.getPhone().isEmpty() ? Optional.empty()
        : Optional.of(ContactDetails.normalizePhone(request.getPhone(), "phone", callingCode));
    Optional<String> email = request.getEmail().isEmpty() ? Optional.empty()
        : Optional.of(ContactDetails.normalizeEmail(request.getEmail(), "email"));
    ProgramRules rules = program.current();
    byte[] hash = Protos.hash(request);
    Result result;
    try {
      result = db.inTransaction(c -> enrollIn(c, request, origin, phone, email, rules, hash));
    } catch (DuplicateKeyException e) {
      // A concurrent enrolment took the phone or e-mail between our check and our insert.
      boolean byPhone = e.constraint().contains("phone");
      throw duplicate(byPhone, db.read(c -> byPhone
          ? members.findIdByPhone(c, phone.orElse(""))
          : members.findIdByEmail(c, email.orElse(""))).orElse(""));
    }
    result.view().ifPresent(v -> {
      views.publish(v);
      String memberId = v.member().memberId();
      cache.putIdentifier("card:" + result.response().getCardNumber(), memberId);
      phone.ifPresent(p -> cache.putIdentifier("phone:" + p, memberId));
      email.ifPresent(e -> cache.putIdentifier("email:" + e, memberId));
    });
    return result.response();
  }

  private Result enrollIn(Connection c, EnrollMemberRequest request, Origin origin,
      Optional<String> phone, Optional<String> email, ProgramRules rules, byte[] hash)
      throws SQLException {
    Instant now = clock.instant();
    if (!idempotency.claim(c, SCOPE, request.getRequestId(), hash, now)) {
      return new Result(replay(c, request.getRequestId(), hash), Optional.empty());
    }
    Optional<String> samePhone = phone.isPresent() ? members.findIdByPhone(c, phone.get())
        : Optional.empty();
    if (samePhone.isPresent()) {
      throw duplicate(true, samePhone.get());
    }
    Optional<String> sameEmail = email.isPresent() ? members.findIdByEmail(c, email.get())
        : Optional.empty();
    if (sameEmail.isPresent()) {
      throw duplicate(false, sameEmail.get());
    }
    Optional<String> referrer = resolveReferrer(c, request.getReferrer());
    String memberId = Ids.next("mbr", now);
    Member member = new Member(memberId, Member.Status.ACTIVE, request.getGivenName().strip(),
        request.getFamilyName().strip(), phone, email,
        request.hasBirthDate() ? Optional.of(new MonthDay(request.getBirthDate().getMonth(),
            request.getBirthDate().getDay())) : Optional.empty(),
        request.hasBirthDate() ? request.getBirthDate().getYear() : 0,
        request.getMarketingConsent(),
        request.getMarketingConsent() ? Optional.of(request.hasConsentTime()
            ? Protos.instant(request.getConsentTime()) : now) : Optional.empty(),
        rules.entryTier().tierId(), referrer, false, 0, Optional.empty(), now);
    members.insert(c, member, origin, now);
    String card = issueCard(c, memberId, now);
    points.open(c, memberId, now);
    if (rules.welcomeBonusPoints() > 0) {
      points.post(c, new PointsAccount.Entry(memberId, "BONUS", rules.welcomeBonusPoints(), now,
          origin, request.getRequestId(), "Welcome bonus", origin.actor()), now,
          Expiry.of(rules, now, clock.getZone()));
    }
    audit.record(c, memberId, "MEMBER_ENROLLED", origin.actor(),
        "phone=" + phone.map(Pii::phone).orElse("-") + " email="
            + email.map(Pii::email).orElse("-") + " card=" + Pii.card(card)
            + " consent=" + request.getMarketingConsent(), now);
    MemberView view = views.load(c, rules, member);
    EnrollMemberResponse response = EnrollMemberResponse.newBuilder()
        .setMember(MemberViews.toProto(view))
        .setCardNumber(card)
        .setWelcomeBonusPoints(rules.welcomeBonusPoints())
        .build();
    outbox.append(c, "MEMBER_ENROLLED", memberId, origin.storeId(),
        response.getMember().toByteArray(), now);
    idempotency.complete(c, SCOPE, request.getRequestId(), response.toByteArray());
    return new Result(response, Optional.of(view));
  }

  private EnrollMemberResponse replay(Connection c, String requestId, byte[] hash)
      throws SQLException {
    IdempotencyStore.Prior prior = idempotency.find(c, SCOPE, requestId).orElseThrow();
    if (!prior.samePayload(hash)) {
      throw Refusal.of(Refusal.Kind.ALREADY_EXISTS, "REQUEST_ID_REUSED",
          "request_id " + requestId + " was already used for a different enrolment");
    }
    try {
      return EnrollMemberResponse.parseFrom(prior.response());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored enrolment response is unreadable", e);
    }
  }

  private Optional<String> resolveReferrer(Connection c, String referrer) throws SQLException {
    if (referrer.isBlank()) {
      return Optional.empty();
    }
    Optional<String> id = referrer.chars().allMatch(Character::isDigit)
        ? members.findIdByCard(c, referrer)
        : members.find(c, referrer).map(Member::memberId);
    if (id.isEmpty()) {
      throw Refusal.invalid("REFERRER_NOT_FOUND", "referrer", "no member with this id or card");
    }
    return id;
  }

  private String issueCard(Connection c, String memberId, Instant now) throws SQLException {
    for (int attempt = 0; attempt < 5; attempt++) {
      String card = CardNumber.issue(Ids.random());
      if (!members.cardExists(c, card)) {
        members.insertCard(c, card, memberId, now);
        return card;
      }
    }
    throw new IllegalStateException("could not draw an unused card number");
  }

  private static Refusal duplicate(boolean byPhone, String existing) {
    return Refusal.of(Refusal.Kind.ALREADY_EXISTS, byPhone ? "DUPLICATE_PHONE" : "DUPLICATE_EMAIL",
        (byPhone ? "phone" : "email") + " already belongs to member " + existing,
        Map.of("member_id", existing));
  }
}
