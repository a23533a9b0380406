package com.posloyalty.server.api;

import static com.posloyalty.server.api.AuthInterceptor.actor;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.posloyalty.server.domain.RewardTerms;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys;
import com.posloyalty.server.flow.PageTokens;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
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
        v.required("reward");
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
        after = pagePosition(request);
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
        b.setNextPageToken(PageTokens.encode(KEY_PAGE_TOKEN, request.getStoreId(),
            Boolean.toString(request.getShowRevoked()), Long.toString(t.getEpochSecond()),
            Integer.toString(t.getNano()), last.keyId()));
      }
      return b.build();
    });
  }

  private static final String KEY_PAGE_TOKEN = "k1";
  /** A protobuf Timestamp's range (years 1 to 9999), which a key's create_time lies in. */
  private static final long FIRST_TOKEN_SECOND = -62135596800L;
  private static final long LAST_TOKEN_SECOND = 253402300799L;
  private static final Pattern TOKEN_KEY_ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

  /**
   * Where a key list continues: the last key's creation time and id, from a token issued for
   * the same store_id and show_revoked; empty when the token is not one. Only values a key
   * can have pass, so a forged token is refused here rather than failing in SQL.
   */
  private static Optional<ApiKeyStore.Position> pagePosition(ListApiKeysRequest request) {
    return PageTokens.fields(request.getPageToken(), KEY_PAGE_TOKEN, 6)
        .filter(f -> f[1].equals(request.getStoreId())
            && f[2].equals(Boolean.toString(request.getShowRevoked()))
            && TOKEN_KEY_ID.matcher(f[5]).matches())
        .flatMap(f -> {
          long seconds;
          int nanos;
          try {
            seconds = Long.parseLong(f[3]);
            nanos = Integer.parseInt(f[4]);
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
          if (seconds < FIRST_TOKEN_SECOND || seconds > LAST_TOKEN_SECOND
              || nanos < 0 || nanos > 999_999_999) {
            return Optional.empty();
          }
          return Optional.of(
              new ApiKeyStore.Position(Instant.ofEpochSecond(seconds, nanos), f[5]));
        });
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

  static ApiKey toProto(StoredKey k) {
    ApiKey.Builder b = ApiKey.newBuilder().setKeyId(k.keyId()).setLabel(k.label())
        .setStoreId(k.storeId().orElse(""))
        .setCreateTime(Timestamp.newBuilder().setSeconds(k.createdAt().getEpochSecond()));
    k.scopes().forEach(s -> b.addScopes(ApiKeyScope.valueOf("API_KEY_SCOPE_" + s.name())));
    k.revokedAt().ifPresent(t -> b.setRevokeTime(Timestamp.newBuilder().setSeconds(t.getEpochSecond())));
    return b.build();
  }
}
