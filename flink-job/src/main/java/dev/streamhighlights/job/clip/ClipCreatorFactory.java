package dev.streamhighlights.job.clip;

import java.io.Serializable;

/** Makes the {@link ClipCreator} of a parallel task; shipped with the job graph. */
@FunctionalInterface
public interface ClipCreatorFactory extends Serializable {

  ClipCreator create();
}
