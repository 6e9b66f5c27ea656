// The map's projection worker: PCA of up to tens of thousands of embeddings off the main thread.
import * as Comlink from 'comlink';
import { projectRows } from './projector';

Comlink.expose({ project: projectRows });
