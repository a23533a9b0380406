package com.posloyalty.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class FieldFindingsTest {

  private static Refusal refusal(FieldFindings findings) {
    return catchThrowableOfType(findings::check, Refusal.class);
  }

  @Test
  void theFirstSpecificReasonWinsWhereverItComes() {
    FieldFindings findings = new FieldFindings();
    findings.idFormat("point_of_sale.terminal_id", "bad id!", 64);
    findings.add("basket.lines", "needs at least one line", "EMPTY_BASKET");
    findings.required("member_id");

    Refusal refusal = refusal(findings);
    assertThat(refusal.reason()).isEqualTo("EMPTY_BASKET");
    assertThat(refusal.violations()).extracting(Refusal.FieldViolation::field)
        .containsExactly("point_of_sale.terminal_id", "basket.lines", "member_id");
  }

  @Test
  void onlyGeneralFindingsAreFieldInvalid() {
    FieldFindings findings = new FieldFindings();
    findings.idFormat("point_of_sale.terminal_id", "bad id!", 64);

    assertThat(refusal(findings).reason()).isEqualTo("FIELD_INVALID");
  }

  @Test
  void nothingFoundIsNoRefusal() {
    assertThatCode(new FieldFindings()::check).doesNotThrowAnyException();
  }
}
