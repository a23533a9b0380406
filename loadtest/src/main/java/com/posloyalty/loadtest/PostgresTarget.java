package com.posloyalty.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The PostgreSQL the server uses: where the population is seeded and the SQL ceiling runs. */
record PostgresTarget(String url, String user, String password) {

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }
}
