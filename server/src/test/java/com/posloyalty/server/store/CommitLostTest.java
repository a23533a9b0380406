package com.posloyalty.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.posloyalty.server.api.ErrorMapper;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.TestServices;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A connection lost during the COMMIT itself leaves the change possibly committed: PostgreSQL
 * may have received the COMMIT and applied it before the acknowledgement was lost. Such a
 * failure must say so, never that nothing was applied. The real PostgreSQL commits here; only
 * its acknowledgement is lost (the driver's connection reports a broken link after it).
 */
class CommitLostTest {

  private static PGSimpleDataSource postgres;

  @BeforeAll
  static void createTable() throws SQLException {
    postgres = new PGSimpleDataSource();
    postgres.setURL(TestServices.newDatabase("commitlost"));
    postgres.setUser("postgres");
    try (Connection c = postgres.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE sales (sale_id TEXT PRIMARY KEY)");
    }
  }

  @Test
  void aConnectionLostWhileCommittingIsOfUnknownOutcomeNotUnavailable() throws SQLException {
    Database db = new Database(acknowledgementLost(postgres));

    StoreUnavailableException failure = catchThrowableOfType(
        () -> db.inTransaction(c -> insert(c, "sale-1")), StoreUnavailableException.class);

    assertThat(failure.outcomeUnknown()).isTrue();
    assertThat(count("sale-1")).as("PostgreSQL committed it").isEqualTo(1);
    StatusRuntimeException status = ErrorMapper.toStatus(failure);
    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcErrors.reason(status)).isEqualTo("COMMIT_OUTCOME_UNKNOWN");
  }

  @Test
  void aConnectionLostBeforeCommittingIsPlainlyUnavailable() throws SQLException {
    Database db = new Database(postgres);

    StoreUnavailableException failure = catchThrowableOfType(() -> db.inTransaction(c -> {
      insert(c, "sale-2");
      throw new SQLException("connection lost", "08006");
    }), StoreUnavailableException.class);

    assertThat(failure.outcomeUnknown()).isFalse();
    assertThat(count("sale-2")).as("rolled back").isZero();
    assertThat(GrpcErrors.reason(ErrorMapper.toStatus(failure))).isEqualTo("DATABASE_UNAVAILABLE");
  }

  private static Void insert(Connection c, String saleId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO sales VALUES (?)")) {
      ps.setString(1, saleId);
      ps.executeUpdate();
    }
    return null;
  }

  private static long count(String saleId) throws SQLException {
    try (Connection c = postgres.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sales WHERE sale_id = ?")) {
      ps.setString(1, saleId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Connections whose COMMIT is applied by PostgreSQL and then reported as a broken link. */
  private static DataSource acknowledgementLost(DataSource real) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (ds, method, args) -> {
          Object result = invoke(method, real, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection connection = (Connection) result;
          return Proxy.newProxyInstance(Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (c, m, a) -> {
                Object r = invoke(m, connection, a);
                if (m.getName().equals("commit")) {
                  throw new SQLException("An I/O error occurred while sending to the backend.",
                      "08006");
                }
                return r;
              });
        });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
