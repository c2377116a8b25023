package dev.streamhighlights.job.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.streamhighlights.irc.model.ChatMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The chat topic's record format: one compact JSON object per chat message, never its text. Key:
 * the channel login (so a channel's messages stay in order on one partition). Record timestamp: the
 * message's event time. Value:
 *
 * <pre>{"channel":"xqc","channelId":"71092938","time":1700000000123}</pre>
 *
 * {@code channelId} is Twitch's room id (recorded logs without one repeat the login; a record
 * without it reads as ""). Unknown fields are ignored, so writers may add fields later.
 *
 * <p>A watch-start marker (the ingest job (re)started reading the channel; the time before is
 * unknown to every detection job downstream) carries {@code "watchStart":true}:
 *
 * <pre>{"channel":"xqc","channelId":"71092938","time":1700000000123,"watchStart":true}</pre>
 *
 * <p>Readers must survive any bytes: a record that is not a chat event is a {@link
 * MalformedRecordException} with the reason, never another exception that would fail the source and
 * replay the same offset after every restart.
 */
public final class ChatRecords {

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * A chat event is about 80 bytes; anything this large is not one, and is refused before parsing.
   */
  static final int MAX_VALUE_BYTES = 64 * 1024;

  /**
   * How far ahead of this machine's clock an event time may be. Chat is stamped by Twitch's servers
   * as it is sent, so a later time is a broken clock or a broken record; read anyway, it would move
   * the watermark ahead and drop the following chat as late. 10 s allows for clock skew between
   * Twitch, the ingest job and this machine.
   */
  public static final long MAX_AHEAD_OF_CLOCK_MILLIS = 10_000;

  private ChatRecords() {}

  public static byte[] key(ChatMessage m) {
    return m.channel().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] value(ChatMessage m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(72);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("channel", m.channel());
      g.writeStringField("channelId", m.channelId());
      g.writeNumberField("time", m.eventTime());
      if (!m.isMessage()) {
        g.writeBooleanField("watchStart", true);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Reads one record value.
   *
   * @throws MalformedRecordException if it is not a chat event (not JSON, no channel, no time,
   *     wrong types, too large); never another exception
   */
  public static ChatMessage parse(byte[] value) {
    if (value == null || value.length == 0) {
      throw new MalformedRecordException("empty record");
    }
    if (value.length > MAX_VALUE_BYTES) {
      throw new MalformedRecordException(
          "too large (" + value.length + " bytes, at most " + MAX_VALUE_BYTES + ")");
    }
    ChatMessage canonical = readCanonical(value);
    if (canonical != null) {
      return canonical;
    }
    try {
      return read(value);
    } catch (MalformedRecordException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException("not JSON: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      // Bytes that are no text encoding Jackson knows (CharConversionException) and whatever else
      // a parser may throw on hostile input.
      throw new MalformedRecordException("not JSON: " + e);
    }
  }

  private static final byte[] CHANNEL = ascii("{\"channel\":\"");
  private static final byte[] CHANNEL_ID = ascii("\",\"channelId\":\"");
  private static final byte[] TIME = ascii("\",\"time\":");
  private static final byte[] WATCH_START_END = ascii(",\"watchStart\":true}");

  /**
   * Reads a value in exactly the form {@link #value} writes for plain ASCII names (nearly every
   * record), without a JSON parser: most of a Kafka backtest's time went into Jackson. Anything
   * else (another field order, spaces, escapes, non-ASCII, a number JSON would refuse) returns null
   * and goes through Jackson, so what is accepted and refused does not change (ChatRecordsTest
   * compares the two on random records).
   */
  static ChatMessage readCanonical(byte[] v) {
    if (!at(v, 0, CHANNEL)) {
      return null;
    }
    int channelStart = CHANNEL.length;
    int channelEnd = plainString(v, channelStart);
    if (channelEnd <= channelStart || !at(v, channelEnd, CHANNEL_ID)) {
      return null;
    }
    int idStart = channelEnd + CHANNEL_ID.length;
    int idEnd = plainString(v, idStart);
    if (idEnd < 0 || !at(v, idEnd, TIME)) {
      return null;
    }
    int i = idEnd + TIME.length;
    int digitsStart = i;
    long time = 0;
    while (i < v.length && v[i] >= '0' && v[i] <= '9') {
      time = time * 10 + (v[i] - '0');
      i++;
    }
    int digits = i - digitsStart;
    if (digits == 0 || digits > 18 || (digits > 1 && v[digitsStart] == '0')) {
      return null; // none, too long for this path, or a leading zero (not JSON)
    }
    String channel =
        new String(v, channelStart, channelEnd - channelStart, StandardCharsets.US_ASCII);
    String channelId = new String(v, idStart, idEnd - idStart, StandardCharsets.US_ASCII);
    if (i == v.length - 1 && v[i] == '}') {
      return new ChatMessage(channel, channelId, time);
    }
    if (i + WATCH_START_END.length == v.length && at(v, i, WATCH_START_END)) {
      return ChatMessage.watchStart(channel, channelId, time);
    }
    return null;
  }

  /** The index of the quote that ends a string of printable ASCII without escapes, or -1. */
  private static int plainString(byte[] v, int from) {
    for (int i = from; i < v.length; i++) {
      byte b = v[i];
      if (b == '"') {
        return i;
      }
      if (b < 0x20 || b > 0x7e || b == '\\') {
        return -1;
      }
    }
    return -1;
  }

  private static boolean at(byte[] v, int i, byte[] expected) {
    return i + expected.length <= v.length
        && java.util.Arrays.equals(v, i, i + expected.length, expected, 0, expected.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static ChatMessage read(byte[] value) throws IOException {
    String channel = null;
    String channelId = null;
    long time = Long.MIN_VALUE;
    boolean watchStart = false;
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedRecordException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "channel" -> channel = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "channelId" -> channelId = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "watchStart" -> watchStart = t == JsonToken.VALUE_TRUE;
          case "time" -> {
            if (t != JsonToken.VALUE_NUMBER_INT) {
              throw new MalformedRecordException("'time' is not an integer");
            }
            if (p.getNumberType() == NumberType.BIG_INTEGER) {
              throw new MalformedRecordException("'time' is out of range");
            }
            time = p.getLongValue();
            if (time < 0) {
              throw new MalformedRecordException("'time' is negative");
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    if (channel == null || channel.isEmpty()) {
      throw new MalformedRecordException("no 'channel'");
    }
    if (time == Long.MIN_VALUE) {
      throw new MalformedRecordException("no 'time'");
    }
    return watchStart
        ? ChatMessage.watchStart(channel, channelId, time)
        : new ChatMessage(channel, channelId == null ? "" : channelId, time);
  }

  /** Whether {@code m} claims a time more than the bound ahead of {@code nowMillis}. */
  public static boolean isFromTheFuture(ChatMessage m, long nowMillis) {
    return m.eventTime() > nowMillis + MAX_AHEAD_OF_CLOCK_MILLIS;
  }

  /** A record that is not a chat event; the source counts and skips it. */
  public static final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
      super(message);
    }
  }
}
