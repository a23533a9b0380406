package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
  @Test
  void insufficientPointsCarriesTheAvailableBalance() {
    LoyaltyException e = ErrorMapper.map(error(Code.FAILED_PRECONDITION, "INSUFFICIENT_POINTS",
        Map.of("available_points", "420")));

    assertThat(e).isInstanceOf(InsufficientPointsException.class)
        .hasMessage("refused by the test");
    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.reason()).isEqualTo("INSUFFICIENT_POINTS");
    assertThat(((InsufficientPointsException) e).availablePoints()).hasValue(420);
  }

  @Test
  void anUnknownMemberIsMemberNotFound() {
    assertThat(ErrorMapper.map(error(Code.NOT_FOUND, "MEMBER_NOT_FOUND", Map.of())))
        .isInstanceOf(MemberNotFoundException.class);
    assertThat(ErrorMapper.map(error(Code.NOT_FOUND, "TRANSACTION_NOT_FOUND", Map.of())))
        .isExactlyInstanceOf(NotFoundException.class);
  }

  @Test
  void aBlockedMemberIsMemberNotActive() {
    assertThat(ErrorMapper.map(error(Code.FAILED_PRECONDITION, "MEMBER_NOT_ACTIVE", Map.of())))
        .isInstanceOf(MemberNotActiveException.class).isInstanceOf(RefusedException.class);
  }

  @Test
  void badInputCarriesTheReasonAndFieldViolations() {
    FieldViolation violation = FieldViolation.newBuilder().setField("card_number")
        .setDescription("check digit is wrong").build();
    StatusRuntimeException failure = StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder().setCode(Code.INVALID_ARGUMENT.getNumber())
            .setMessage("invalid card")
            .addDetails(Any.pack(info("CARD_CHECK_DIGIT_INVALID", Map.of())))
            .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(violation).build()))
            .build());

    LoyaltyException e = ErrorMapper.map(failure);

    assertThat(e).isInstanceOf(InvalidRequestException.class);
    assertThat(e.reason()).isEqualTo("CARD_CHECK_DIGIT_INVALID");
    assertThat(e.fieldViolations()).containsExactly(violation);
  }

  @Test
  void reusedIdempotencyKeysAreDuplicateTransactionKeys() {
    for (String reason : new String[] {"TRANSACTION_KEY_REUSED", "RETURN_ID_REUSED",
        "REQUEST_ID_REUSED"}) {
      assertThat(ErrorMapper.map(error(Code.ALREADY_EXISTS, reason, Map.of())))
          .isInstanceOf(DuplicateTransactionKeyException.class);
    }
  }

  @Test
  void aDuplicatePhoneNamesTheExistingMember() {
    LoyaltyException e = ErrorMapper.map(error(Code.ALREADY_EXISTS, "DUPLICATE_PHONE",
        Map.of("member_id", "mbr_7")));

    assertThat(e).isInstanceOf(DuplicateMemberException.class);
    assertThat(((DuplicateMemberException) e).existingMemberId()).hasValue("mbr_7");
  }

  @Test
  void unreachableAndTooSlowAreServiceUnavailable() {
    assertThat(ErrorMapper.map(Status.UNAVAILABLE.asRuntimeException()))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThat(ErrorMapper.map(Status.DEADLINE_EXCEEDED.asRuntimeException()))
        .isInstanceOf(ServiceUnavailableException.class);
  }

  @Test
  void aRefusedApiKeyIsAccessDenied() {
    assertThat(ErrorMapper.map(error(Code.PERMISSION_DENIED, "STORE_MISMATCH", Map.of())))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void aStatusWithoutDetailsKeepsItsCodeAndHasNoReason() {
    LoyaltyException e = ErrorMapper.map(
        Status.RESOURCE_EXHAUSTED.withDescription("slow down").asRuntimeException());

    assertThat(e).isExactlyInstanceOf(LoyaltyException.class).hasMessage("slow down");
    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.reason()).isEmpty();
  }

  @Test
  void reasonsOfAnotherDomainAreNotReadAsOurs() {
    StatusRuntimeException failure = StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder().setCode(Code.NOT_FOUND.getNumber())
            .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("proxy.example.com")
                .setReason("MEMBER_NOT_FOUND").build()))
            .build());

    LoyaltyException e = ErrorMapper.map(failure);

    assertThat(e).isExactlyInstanceOf(NotFoundException.class);
    assertThat(e.reason()).isEmpty();
  }

  private static StatusRuntimeException error(Code code, String reason,
      Map<String, String> metadata) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage("refused by the test")
        .addDetails(Any.pack(info(reason, metadata))).build());
  }

  private static ErrorInfo info(String reason, Map<String, String> metadata) {
    return ErrorInfo.newBuilder().setDomain("posloyalty.v1").setReason(reason)
        .putAllMetadata(metadata).build();
  }
}
