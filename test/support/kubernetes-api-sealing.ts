// Moved to src/kubernetes-standin (the demo serves it too); tests keep importing it from here.
export * from '../../src/kubernetes-standin/sealing.js';
