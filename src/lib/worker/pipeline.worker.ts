// The pipeline worker: all heavy work (model, embeddings, voting, database writes) off the main
// thread, reached from the UI through client.ts.
import { exposePipeline } from './exposePipeline';
import { browserPipelineDeps } from './factories';
import { Pipeline } from './pipeline';

exposePipeline(new Pipeline(browserPipelineDeps()));
