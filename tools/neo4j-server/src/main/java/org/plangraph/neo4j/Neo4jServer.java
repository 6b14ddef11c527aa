package org.plangraph.neo4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a local Neo4j 5 Community DBMS with the Bolt connector enabled and
 * authentication on, for PlanGraph development and integration tests.
 *
 * <p>Configuration (environment):
 * <ul>
 *   <li>NEO4J_DATA_DIR  - Neo4j home: databases in data/, logs in logs/ (required)</li>
 *   <li>NEO4J_PORT      - Bolt port, default 7687</li>
 *   <li>NEO4J_HOST      - listen address, default 127.0.0.1</li>
 *   <li>NEO4J_PASSWORD  - password of user neo4j, default plangraph-dev</li>
 *   <li>NEO4J_PAGECACHE - page cache size, default 256m</li>
 *   <li>NEO4J_TX_MEMORY - memory one transaction may use (db.memory.transaction.max), default 256m</li>
 *   <li>NEO4J_TX_MEMORY_TOTAL - memory all transactions together may use
 *       (dbms.memory.transaction.total.max), default 768m</li>
 *   <li>NEO4J_TX_TIMEOUT_S - seconds a transaction may run (db.transaction.timeout), default 120</li>
 * </ul>
 * Optional extra settings: {@code $NEO4J_DATA_DIR/neo4j.conf} (neo4j.conf syntax).
 *
 * <p>Once the DBMS is up and the password is set, {@code $NEO4J_DATA_DIR/neo4j.ready}
 * is written; it is removed again on shutdown (SIGTERM runs the shutdown hook).
 */
public final class Neo4jServer {

    private Neo4jServer() {}

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return (v == null || v.isBlank()) ? dflt : v.trim();
    }

    private static void say(String msg) {
        System.out.println(Instant.now() + " [plangraph-neo4j] " + msg);
        System.out.flush();
    }

    private static long parseBytes(String s) {
        String t = s.trim().toLowerCase();
        long mul = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k') mul = 1024L;
        else if (last == 'm') mul = 1024L * 1024;
        else if (last == 'g') mul = 1024L * 1024 * 1024;
        if (mul != 1) t = t.substring(0, t.length() - 1);
        return Long.parseLong(t) * mul;
    }

    public static void main(String[] args) throws Exception {
        String dataDirEnv = System.getenv("NEO4J_DATA_DIR");
        if (dataDirEnv == null || dataDirEnv.isBlank()) {
            System.err.println("NEO4J_DATA_DIR must be set");
            System.exit(2);
        }
        Path home = Path.of(dataDirEnv).toAbsolutePath().normalize();
        int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
        String host = env("NEO4J_HOST", "127.0.0.1");
        String password = env("NEO4J_PASSWORD", "plangraph-dev");
        long pageCache = parseBytes(env("NEO4J_PAGECACHE", "256m"));
        Path ready = home.resolve("neo4j.ready");
        // a query that builds a huge list or cartesian product is stopped at these limits instead of
        // exhausting the heap for every client (ad-hoc Cypher passes its own, shorter, timeout)
        long txMemory = parseBytes(env("NEO4J_TX_MEMORY", "256m"));
        long txMemoryTotal = parseBytes(env("NEO4J_TX_MEMORY_TOTAL", "768m"));
        long txTimeout = Long.parseLong(env("NEO4J_TX_TIMEOUT_S", "120"));

        Files.createDirectories(home);
        Files.deleteIfExists(ready);

        say("starting Neo4j 5 Community, home=" + home + ", bolt=" + host + ":" + port);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMemory)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMemoryTotal)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeout))
                // look for transactions past their timeout every 200 ms, not every 2 s
                .setConfig(GraphDatabaseSettings.transaction_monitor_check_interval, Duration.ofMillis(200))
                // dev server: do not preallocate 256 MiB transaction log files, keep few logs
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // Bolt's netty shutdown otherwise idles 2 x 5 s (quiet period) after the
                // databases are already stopped; Neo4j's own test harness sets 0 as well
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        Path extraConf = home.resolve("neo4j.conf");
        if (Files.isRegularFile(extraConf)) {
            say("loading extra settings from " + extraConf);
            builder.loadPropertiesFromFile(extraConf);
        }

        DatabaseManagementService dbms = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("shutdown requested, stopping DBMS");
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // best effort
            }
            try {
                dbms.shutdown();
                say("DBMS stopped cleanly");
            } catch (Throwable t) {
                say("error during shutdown: " + t);
            } finally {
                stopped.countDown();
            }
        }, "plangraph-neo4j-shutdown"));

        try {
            setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            // touch the default database so it is fully online before we report ready
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)
                    .executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            Throwable root = t;
            while (root.getCause() != null) root = root.getCause();
            say("STARTUP FAILED: " + t.getMessage() + (root != t && !String.valueOf(root.getMessage()).equals(t.getMessage()) ? " (cause: " + root.getMessage() + ")" : ""));
            System.exit(1);
        }

        Path tmp = home.resolve("neo4j.ready.tmp");
        Files.writeString(tmp, "bolt://" + host + ":" + port + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        say("READY bolt://" + host + ":" + port + " (user neo4j)");

        stopped.await();
    }

    /** Sets the neo4j user's password (idempotent; no forced change on first login). */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            say("password for user neo4j set");
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getCause());
            if (msg.toLowerCase().contains("same")) {
                // password unchanged since last start; make sure no change is required
                system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
                say("password for user neo4j unchanged");
            } else {
                throw e;
            }
        }
    }
}
