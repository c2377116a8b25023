package dev.streamhighlights.job.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.streamhighlights.job.clip.ClipLedger;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.HighlightSchema;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * The clip ledger in MongoDB, collection {@value #COLLECTION}: one document per highlight id,
 * inserted before the clip is requested (the insert's unique {@code _id} is the claim) and updated
 * with the outcome. Calls run on a small pool of the task, never on the task thread.
 */
public final class MongoClipLedger implements ClipLedger {

  public static final String COLLECTION = "clipRequests";

  /** How long one ledger call waits for an unreachable server before the clip is given up. */
  public static final long SERVER_WAIT_MS = 5_000;

  private final MongoClient client;
  private final MongoCollection<Document> requests;
  private final ExecutorService pool;

  private MongoClipLedger(String uri, String database) {
    this.client =
        MongoClients.create(
            MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(
                    b -> b.serverSelectionTimeout(SERVER_WAIT_MS, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(
                    b ->
                        b.connectTimeout((int) SERVER_WAIT_MS, TimeUnit.MILLISECONDS)
                            .readTimeout((int) SERVER_WAIT_MS, TimeUnit.MILLISECONDS))
                .build());
    // A claim acknowledged by a majority survives a primary's failover: one acknowledged only by
    // a primary that then steps down can be rolled back, and the moment clipped again.
    this.requests =
        client
            .getDatabase(database)
            .getCollection(COLLECTION)
            .withWriteConcern(com.mongodb.WriteConcern.MAJORITY);
    this.pool =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "clip-ledger");
              t.setDaemon(true);
              return t;
            });
  }

  /** The factory to hand to the pipeline; the URI (a secret) travels inside the job graph only. */
  public static ClipLedger.Factory factory(String uri, String database) {
    return () -> new MongoClipLedger(uri, database);
  }

  @Override
  public CompletableFuture<Optional<ClipResult>> claim(Highlight h) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            requests.insertOne(
                new Document("_id", h.id())
                    .append("channel", h.channel())
                    .append("detectedAt", new Date(h.detectedAt()))
                    .append("claimedAt", new Date()));
            return Optional.empty();
          } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
              throw e;
            }
            Document before = requests.find(Filters.eq("_id", h.id())).first();
            return Optional.of(outcome(before));
          }
        },
        pool);
  }

  @Override
  public CompletableFuture<Void> record(Highlight h, ClipResult result) {
    return CompletableFuture.runAsync(
        () ->
            requests.updateOne(
                Filters.eq("_id", h.id()), Updates.set("clip", MongoDocuments.clip(result))),
        pool);
  }

  private static ClipResult outcome(Document claim) {
    Document clip = claim == null ? null : claim.get("clip", Document.class);
    if (clip == null) {
      return ClipResult.interrupted();
    }
    return HighlightSchema.Clip.read(clip::getString);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    client.close();
  }
}
