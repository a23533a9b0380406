package com.posloyalty.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

  @Test
  void issuedCardNumbersCarryAValidCheckDigit() {
    Random random = new Random(1);
    for (int i = 0; i < 1000; i++) {
      String card = CardNumber.issue(random);
      assertThat(card).hasSize(16).startsWith("6299");
      assertThat(CardNumber.validate(card, "card_number")).isEqualTo(card);
    }
  }

  @Test
  void everySingleDigitTypoIsCaught() {
    String card = "79927398713";
    assertThat(CardNumber.validate(card, "card")).isEqualTo(card);
    for (int pos = 0; pos < card.length(); pos++) {
      for (char d = '0'; d <= '9'; d++) {
        if (d == card.charAt(pos)) {
          continue;
        }
        String typo = card.substring(0, pos) + d + card.substring(pos + 1);
        assertThatThrownBy(() -> CardNumber.validate(typo, "card"))
            .isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.reason()).isEqualTo("CARD_CHECK_DIGIT_INVALID"));
      }
    }
  }

  @Test
  void malformedCardNumbersAreRefused() {
    assertThatThrownBy(() -> CardNumber.validate("1234", "card_number"))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.reason()).isEqualTo("CARD_NUMBER_MALFORMED");
          assertThat(r.violations()).extracting(Refusal.FieldViolation::field)
              .containsExactly("card_number");
        });
    assertThatThrownBy(() -> CardNumber.validate("6299abcd12345678", "c")).isInstanceOf(Refusal.class);
  }

  @Test
  void phonesNormaliseToE164() {
    assertThat(ContactDetails.normalizePhone("+49 151 1234-5678", "p", "49")).isEqualTo("+4915112345678");
    assertThat(ContactDetails.normalizePhone("0151 12345678", "p", "49")).isEqualTo("+4915112345678");
    assertThat(ContactDetails.normalizePhone("0044 20 7946 0958", "p", "49")).isEqualTo("+442079460958");
    assertThat(ContactDetails.normalizePhone("(030) 123456", "p", "49")).isEqualTo("+4930123456");
    for (String bad : new String[] {"12345678", "+49", "phone", "+0123456789", "+1234567890123456"}) {
      assertThatThrownBy(() -> ContactDetails.normalizePhone(bad, "phone", "49"))
          .as(bad).isInstanceOfSatisfying(Refusal.class,
              r -> assertThat(r.reason()).isEqualTo("INVALID_PHONE"));
    }
  }

  @Test
  void emailsNormaliseToLowerCase() {
    assertThat(ContactDetails.normalizeEmail("  Ada.Lovelace@Example.COM ", "e"))
        .isEqualTo("ada.lovelace@example.com");
    for (String bad : new String[] {"ada", "ada@", "@example.com", "a b@example.com", "ada@example"}) {
      assertThatThrownBy(() -> ContactDetails.normalizeEmail(bad, "email")).as(bad)
          .isInstanceOfSatisfying(Refusal.class,
              r -> assertThat(r.reason()).isEqualTo("INVALID_EMAIL"));
    }
  }

  @Test
  void piiIsMaskedForLogs() {
    assertThat(Pii.card("6299123456789012")).isEqualTo("************9012");
    assertThat(Pii.phone("+4915112345678")).isEqualTo("+49********678");
    assertThat(Pii.email("ada@example.com")).isEqualTo("a***@example.com");
  }
}
