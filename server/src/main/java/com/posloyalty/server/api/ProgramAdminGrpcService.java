package com.posloyalty.server.api;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.posloyalty.server.domain.RewardTerms;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys;
import com.posloyalty.server.flow.RewardCatalogue;
import com.posloyalty.server.store.ApiKeyStore;
import com.posloyalty.server.store.ApiKeyStore.StoredKey;
import com.posloyalty.v1.ApiKey;
import com.posloyalty.v1.ApiKeyScope;
import com.posloyalty.v1.CreateApiKeyRequest;
import com.posloyalty.v1.CreateApiKeyResponse;
import com.posloyalty.v1.CreateRewardRequest;
import com.posloyalty.v1.CreateRewardResponse;
import com.posloyalty.v1.GetRewardRequest;
import com.posloyalty.v1.GetRewardResponse;
import com.posloyalty.v1.ListApiKeysRequest;
import com.posloyalty.v1.ListApiKeysResponse;
import com.posloyalty.v1.ListRewardsRequest;
import com.posloyalty.v1.ListRewardsResponse;
import com.posloyalty.v1.ProgramAdminServiceGrpc;
import com.posloyalty.v1.RetireRewardRequest;
import com.posloyalty.v1.RetireRewardResponse;
import com.posloyalty.v1.RevokeApiKeyRequest;
import com.posloyalty.v1.RevokeApiKeyResponse;
import com.posloyalty.v1.Reward;
import com.posloyalty.v1.UpdateRewardRequest;
import com.posloyalty.v1.UpdateRewardResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;

/**
 * ProgramAdminService over gRPC. API key administration and the rewards catalogue are
 * served; the other rule RPCs are inherited and answer UNIMPLEMENTED.
 */
public final class ProgramAdminGrpcService
    extends ProgramAdminServiceGrpc.ProgramAdminServiceImplBase {

  /** Reward fields that exist but no update may change. */
  private static final Set<String> FIXED_REWARD_FIELDS =
      Set.of("reward_id", "kind", "state", "create_time", "update_time");

  private final ApiKeys keys;
  private final RewardCatalogue rewards;

  @Inject
  ProgramAdminGrpcService(ApiKeys keys, RewardCatalogue rewards) {
    this.keys = keys;
    this.rewards = rewards;
  }

  @Override
  public void createReward(CreateRewardRequest request,
      StreamObserver<CreateRewardResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("request_id", request.getRequestId(), CheckoutValidator.MAX_ID);
      if (!request.hasReward()) {
        v.add("reward", "is required", "FIELD_REQUIRED");
      }
      v.check();
      return rewards.create(request, actor());
    });
  }

  @Override
  public void updateReward(UpdateRewardRequest request,
      StreamObserver<UpdateRewardResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("request_id", request.getRequestId(), CheckoutValidator.MAX_ID);
      v.id("reward.reward_id", request.getReward().getRewardId(), CheckoutValidator.MAX_ID);
      Set<RewardTerms.Field> fields = rewardFields(request.getUpdateMask(), v);
      v.check();
      return rewards.update(request, fields, actor());
    });
  }

  @Override
  public void getReward(GetRewardRequest request, StreamObserver<GetRewardResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("reward_id", request.getRewardId(), CheckoutValidator.MAX_ID);
      v.check();
      return GetRewardResponse.newBuilder().setReward(rewards.get(request.getRewardId())).build();
    });
  }

  @Override
  public void listRewards(ListRewardsRequest request,
      StreamObserver<ListRewardsResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.range("page_size", request.getPageSize(), 0, 1000);
      if (request.getState() == Reward.State.UNRECOGNIZED) {
        v.add("state", "must be STATE_ACTIVE, STATE_RETIRED or STATE_UNSPECIFIED");
      }
      if (!request.getStoreId().isEmpty()) {
        v.id("store_id", request.getStoreId(), CheckoutValidator.MAX_ID);
      }
      v.check();
      return rewards.list(request, request.getPageSize() == 0 ? 100 : request.getPageSize());
    });
  }

  @Override
  public void retireReward(RetireRewardRequest request,
      StreamObserver<RetireRewardResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("request_id", request.getRequestId(), CheckoutValidator.MAX_ID);
      v.id("reward_id", request.getRewardId(), CheckoutValidator.MAX_ID);
      v.check();
      return rewards.retire(request, actor());
    });
  }

  /** The reward fields an update mask names (AIP-134: top-level paths, "*" for all). */
  private static Set<RewardTerms.Field> rewardFields(FieldMask mask, Violations v) {
    Set<RewardTerms.Field> fields = EnumSet.noneOf(RewardTerms.Field.class);
    if (mask.getPathsCount() == 0) {
      v.add("update_mask", "name at least one field to change", "UPDATE_MASK_INVALID");
    }
    for (int i = 0; i < mask.getPathsCount(); i++) {
      String path = mask.getPaths(i);
      Optional<RewardTerms.Field> field = Arrays.stream(RewardTerms.Field.values())
          .filter(f -> f.name().toLowerCase(Locale.ROOT).equals(path)).findFirst();
      if (path.equals("*")) {
        fields.addAll(EnumSet.allOf(RewardTerms.Field.class));
      } else if (field.isPresent()) {
        fields.add(field.get());
      } else if (FIXED_REWARD_FIELDS.contains(path)) {
        v.add("update_mask.paths[" + i + "]", path + " cannot be changed",
            "UPDATE_MASK_INVALID");
      } else {
        v.add("update_mask.paths[" + i + "]", path + " is not a changeable field of Reward",
            "UPDATE_MASK_INVALID");
      }
    }
    return fields;
  }

  @Override
  public void createApiKey(CreateApiKeyRequest request,
      StreamObserver<CreateApiKeyResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("request_id", request.getRequestId(), CheckoutValidator.MAX_ID);
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      if (request.getScopesCount() == 0) {
        v.add("scopes", "at least one scope is required", "SCOPE_INVALID");
      }
      for (int i = 0; i < request.getScopesCount(); i++) {
        ApiKeyScope scope = request.getScopes(i);
        if (scope == ApiKeyScope.API_KEY_SCOPE_UNSPECIFIED || scope == ApiKeyScope.UNRECOGNIZED) {
          v.add("scopes[" + i + "]", "must be CHECKOUT, BACKOFFICE or ADMIN", "SCOPE_INVALID");
        } else {
          scopes.add(Scope.valueOf(scope.name().substring("API_KEY_SCOPE_".length())));
        }
      }
      if (!request.getStoreId().isEmpty()) {
        v.id("store_id", request.getStoreId(), CheckoutValidator.MAX_ID);
      }
      v.text("label", request.getLabel(), 0, 100);
      v.check();
      ApiKeys.Created created = keys.create(scopes,
          request.getStoreId().isEmpty() ? Optional.empty() : Optional.of(request.getStoreId()),
          request.getLabel(), actor(), Optional.of(ApiKeys.RequestKey.of(request.getRequestId(),
              request)));
      return CreateApiKeyResponse.newBuilder().setApiKey(toProto(created.key()))
          .setSecret(created.secret()).setReplayed(created.replayed()).build();
    });
  }

  @Override
  public void listApiKeys(ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.range("page_size", request.getPageSize(), 0, 1000);
      Optional<ApiKeyStore.Position> after = Optional.empty();
      if (!request.getPageToken().isEmpty()) {
        after = pagePosition(request.getPageToken(), filters(request));
        if (after.isEmpty()) {
          v.add("page_token", "is not a token from this list", "PAGE_TOKEN_INVALID");
        }
      }
      v.check();
      int size = request.getPageSize() == 0 ? 100 : request.getPageSize();
      // One key more than the page tells whether another page follows.
      List<StoredKey> found = keys.list(request.getStoreId().isEmpty() ? Optional.empty()
          : Optional.of(request.getStoreId()), request.getShowRevoked(), after, size + 1);
      ListApiKeysResponse.Builder b = ListApiKeysResponse.newBuilder();
      found.stream().limit(size).forEach(k -> b.addApiKeys(toProto(k)));
      if (found.size() > size) {
        StoredKey last = found.get(size - 1);
        Instant t = last.createdAt();
        b.setNextPageToken(Base64.getUrlEncoder().withoutPadding().encodeToString(
            (t.getEpochSecond() + "." + t.getNano() + "." + last.keyId() + "\n"
                + filters(request)).getBytes(StandardCharsets.UTF_8)));
      }
      return b.build();
    });
  }

  /** The filters a key list page token is bound to. */
  private static String filters(ListApiKeysRequest request) {
    return request.getStoreId() + "\n" + request.getShowRevoked();
  }

  /**
   * A key list page token: the last key's creation time (seconds.nanos) and id, and the
   * filters of the list it came from; empty when it is not one, or of another list.
   */
  private static Optional<ApiKeyStore.Position> pagePosition(String token, String filters) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int newline = decoded.indexOf('\n');
      if (newline < 0 || !decoded.substring(newline + 1).equals(filters)) {
        return Optional.empty();
      }
      String[] parts = decoded.substring(0, newline).split("\\.", 3);
      if (parts.length == 3 && !parts[2].isEmpty()) {
        return Optional.of(new ApiKeyStore.Position(
            Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]));
      }
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  @Override
  public void revokeApiKey(RevokeApiKeyRequest request,
      StreamObserver<RevokeApiKeyResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("key_id", request.getKeyId(), CheckoutValidator.MAX_ID);
      v.check();
      return RevokeApiKeyResponse.newBuilder()
          .setApiKey(toProto(keys.revoke(request.getKeyId(), actor()))).build();
    });
  }

  private static String actor() {
    ApiKeys.Principal p = AuthInterceptor.PRINCIPAL.get();
    return p == null ? "system" : "key:" + p.keyId();
  }

  static ApiKey toProto(StoredKey k) {
    ApiKey.Builder b = ApiKey.newBuilder().setKeyId(k.keyId()).setLabel(k.label())
        .setStoreId(k.storeId().orElse(""))
        .setCreateTime(Timestamp.newBuilder().setSeconds(k.createdAt().getEpochSecond()));
    k.scopes().forEach(s -> b.addScopes(ApiKeyScope.valueOf("API_KEY_SCOPE_" + s.name())));
    k.revokedAt().ifPresent(t -> b.setRevokeTime(Timestamp.newBuilder().setSeconds(t.getEpochSecond())));
    return b.build();
  }
}
