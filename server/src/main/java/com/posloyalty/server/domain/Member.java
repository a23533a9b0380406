package com.posloyalty.server.domain;

import java.time.Instant;
import java.util.Optional;

/** A member as stored. Personal fields are empty once the member is erased. */
public record Member(
    String memberId,
    Status status,
    String givenName,
    String familyName,
    Optional<String> phone,
    Optional<String> email,
    Optional<MonthDay> birthday,
    int birthYear,
    boolean marketingConsent,
    Optional<Instant> consentTime,
    String tierId,
    Optional<String> referrerId,
    boolean referralBonusPaid,
    int lastBirthdayBonusYear,
    Optional<String> mergedInto,
    Instant createdAt) {

  /** Account status. */
  public enum Status {
    ACTIVE,
    BLOCKED,
    ERASED,
    MERGED
  }

  /** Refuses earning and redeeming for anyone not ACTIVE. */
  public void requireActive() {
    if (status != Status.ACTIVE) {
      throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "MEMBER_NOT_ACTIVE",
          "member " + memberId + " is " + status.name().toLowerCase(),
          java.util.Map.of("member_status", status.name()));
    }
  }

  /** This member in another tier. */
  public Member withTier(String newTierId) {
    return new Member(memberId, status, givenName, familyName, phone, email, birthday, birthYear,
        marketingConsent, consentTime, newTierId, referrerId, referralBonusPaid,
        lastBirthdayBonusYear, mergedInto, createdAt);
  }

  /** The name the lane greets the customer with. */
  public String displayName() {
    return givenName == null ? "" : givenName;
  }
}
