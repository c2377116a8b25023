package dev.streamhighlights.job.model;

/** A highlight with the outcome of its clip request: what the highlights collection stores. */
public record StoredHighlight(Highlight highlight, ClipResult clip) {}
