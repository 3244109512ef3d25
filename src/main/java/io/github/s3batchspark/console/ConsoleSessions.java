package io.github.s3batchspark.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who may use the console: whoever holds the token printed when {@code serve} started, once,
 * which buys a session; a session is a random 256-bit cookie with its own CSRF token. Sessions
 * live as long as the process: a restart prints a new token and forgets every session.
 */
final class ConsoleSessions {
  static final String COOKIE = "s3batch_console";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A signed-in browser: its cookie value, and the token its changes must carry. */
  record Session(String id, String csrfToken) {}

  private final String loginToken = random();
  private final AtomicBoolean loginUsed = new AtomicBoolean();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /** The token to print at start, to be given once as {@code ?token=}. */
  String loginToken() {
    return loginToken;
  }

  /** A new session for the login token, or empty when it is wrong or was used already. */
  Optional<Session> signIn(String token) {
    if (token == null || !same(token, loginToken) || !loginUsed.compareAndSet(false, true)) {
      return Optional.empty();
    }
    Session session = new Session(random(), random());
    sessions.put(session.id(), session);
    return Optional.of(session);
  }

  /** The session that the request's {@code Cookie} header names, if any. */
  Optional<Session> of(String cookieHeader) {
    if (cookieHeader == null) {
      return Optional.empty();
    }
    for (String cookie : cookieHeader.split(";")) {
      String[] pair = cookie.trim().split("=", 2);
      if (pair.length == 2 && pair[0].equals(COOKIE)) {
        Session session = sessions.get(pair[1]);
        if (session != null) {
          return Optional.of(session);
        }
      }
    }
    return Optional.empty();
  }

  /** Compares in constant time, so that a token is not guessed a character at a time. */
  static boolean same(String given, String expected) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
