package com.posloyalty.server.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback that can stall: while frozen it forwards nothing in either
 * direction and keeps every socket open, as a hung peer or a black-holed network does —
 * the failure a timeout must bound, because nothing is ever refused or closed.
 */
final class StallProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean frozen;
  private volatile boolean closed;

  StallProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    daemon("proxy-accept", this::acceptLoop).start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Stops forwarding; connections stay open and new ones are accepted but get no answer. */
  void freeze() {
    frozen = true;
  }

  /** Forwards again, everything held back included. */
  void thaw() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        awaitThaw();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        daemon("proxy-up", () -> pump(client, upstream)).start();
        daemon("proxy-down", () -> pump(upstream, client)).start();
      } catch (IOException e) {
        if (!closed) {
          ServerProcess.sleep(10);
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitThaw();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side closed: close the other too, as a proxy does.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitThaw() {
    synchronized (gate) {
      while (frozen && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    closed = true;
    thaw();
    try {
      listener.close();
    } catch (IOException e) {
      // Already closed.
    }
    sockets.forEach(StallProxy::closeQuietly);
  }
}
