package dev.streamhighlights.job.model;

import java.util.List;
import java.util.function.Function;

/**
 * The one mapping of a stored highlight: which fields MongoDB, the Kafka topic and backtest files
 * write, their names, order and types, and the clip's sub-document. Writers choose only how a type
 * is encoded (a {@link Type#TIME} is a BSON date in MongoDB and epoch milliseconds in JSON) and
 * what surrounds the fields (MongoDB's {@code _id}, Kafka's version {@code v}). Existing documents,
 * the topic's consumers and recorded backtest files depend on every name and on the order: add
 * fields, never rename or move one. {@link Highlight#runStart()} is the detector's and not written.
 */
public final class HighlightSchema {

  /** A value's type and the Java class {@link Field#valueOf} returns for it. */
  public enum Type {
    /** {@code String}. */
    TEXT,
    /** An instant, epoch milliseconds as a {@code Long}. */
    TIME,
    /** A 64-bit number, {@code Long}. */
    LONG,
    /** A 32-bit number, {@code Integer}. */
    INT,
    /** {@code Double}. */
    DOUBLE,
    /** The {@link ClipResult}, written as the sub-document of {@link Clip#FIELDS}. */
    CLIP
  }

  /**
   * One field: its name, its type and how its value is read.
   *
   * @param nullable the value may be null, and is then written as null, never left out; the other
   *     fields are never null
   */
  public record Field<T>(String name, Type type, boolean nullable, Function<T, Object> value) {

    public Object valueOf(T record) {
      return value.apply(record);
    }
  }

  /** The highlight's id, {@code channel:windowStart}: MongoDB writes it as {@code _id}. */
  public static final Field<StoredHighlight> ID = field("id", Type.TEXT, s -> s.highlight().id());

  public static final Field<StoredHighlight> CHANNEL =
      field("channel", Type.TEXT, s -> s.highlight().channel());
  public static final Field<StoredHighlight> CHANNEL_ID =
      field("channelId", Type.TEXT, s -> s.highlight().channelId());
  public static final Field<StoredHighlight> WINDOW_START =
      field("windowStart", Type.TIME, s -> s.highlight().windowStart());
  public static final Field<StoredHighlight> WINDOW_END =
      field("windowEnd", Type.TIME, s -> s.highlight().windowEnd());
  public static final Field<StoredHighlight> DETECTED_AT =
      field("detectedAt", Type.TIME, s -> s.highlight().detectedAt());
  public static final Field<StoredHighlight> COUNT =
      field("count", Type.LONG, s -> s.highlight().count());
  public static final Field<StoredHighlight> MOVING_AVERAGE =
      field("movingAverage", Type.DOUBLE, s -> s.highlight().movingAverage());
  public static final Field<StoredHighlight> DERIVATIVE =
      field("derivative", Type.DOUBLE, s -> s.highlight().derivative());
  public static final Field<StoredHighlight> SCORE =
      field("score", Type.DOUBLE, s -> s.highlight().score());
  public static final Field<StoredHighlight> SURGES =
      field("surges", Type.INT, s -> s.highlight().surges());
  public static final Field<StoredHighlight> CLIP_SECONDS =
      field("clipSeconds", Type.INT, s -> s.highlight().clipSeconds());
  public static final Field<StoredHighlight> RULE =
      field("rule", Type.TEXT, s -> s.highlight().rule());

  /**
   * The clip outcome, the only field that changes once a highlight is stored: a highlight that
   * fires again (a replay after a restore) keeps the fields it was first stored with and takes the
   * latest outcome. Every other field is written once.
   */
  public static final Field<StoredHighlight> CLIP = field("clip", Type.CLIP, StoredHighlight::clip);

  /** The clip's status alone, as a backtest line has it instead of {@link #CLIP}. */
  public static final Field<StoredHighlight> CLIP_STATUS =
      field("clipStatus", Type.TEXT, s -> s.clip().status().wire());

  /** The stored highlight in MongoDB and on the Kafka topic, in this order. */
  public static final List<Field<StoredHighlight>> DOCUMENT =
      List.of(
          ID,
          CHANNEL,
          CHANNEL_ID,
          WINDOW_START,
          WINDOW_END,
          DETECTED_AT,
          COUNT,
          MOVING_AVERAGE,
          DERIVATIVE,
          SCORE,
          SURGES,
          CLIP_SECONDS,
          RULE,
          CLIP);

  /**
   * A backtest file's line: the same fields with the clip's status alone, the detection time before
   * the window (the order files have always had, compared byte for byte between runs).
   */
  public static final List<Field<StoredHighlight>> BACKTEST_LINE =
      List.of(
          ID,
          CHANNEL,
          CHANNEL_ID,
          DETECTED_AT,
          WINDOW_START,
          WINDOW_END,
          COUNT,
          MOVING_AVERAGE,
          DERIVATIVE,
          SCORE,
          SURGES,
          CLIP_SECONDS,
          RULE,
          CLIP_STATUS);

  private HighlightSchema() {}

  /** The clip sub-document, in a highlight and in the clip ledger. */
  public static final class Clip {

    public static final Field<ClipResult> STATUS =
        new Field<>("status", Type.TEXT, false, c -> c.status().wire());
    public static final Field<ClipResult> ID =
        new Field<>("id", Type.TEXT, true, ClipResult::clipId);
    public static final Field<ClipResult> URL =
        new Field<>("url", Type.TEXT, true, ClipResult::url);
    public static final Field<ClipResult> EDIT_URL =
        new Field<>("editUrl", Type.TEXT, true, ClipResult::editUrl);
    public static final Field<ClipResult> ERROR =
        new Field<>("error", Type.TEXT, true, ClipResult::error);

    /** The sub-document's fields, in this order. */
    public static final List<Field<ClipResult>> FIELDS = List.of(STATUS, ID, URL, EDIT_URL, ERROR);

    private Clip() {}

    /**
     * A clip sub-document read back, given each of its text fields by name (null when null); a
     * status no {@link ClipStatus} is written as is refused.
     */
    public static ClipResult read(Function<String, String> text) {
      return new ClipResult(
          ClipStatus.ofWire(text.apply(STATUS.name())),
          text.apply(ID.name()),
          text.apply(URL.name()),
          text.apply(EDIT_URL.name()),
          text.apply(ERROR.name()));
    }
  }

  private static Field<StoredHighlight> field(
      String name, Type type, Function<StoredHighlight, Object> value) {
    return new Field<>(name, type, false, value);
  }
}
