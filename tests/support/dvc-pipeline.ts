/**
 * dvc.lock and dvc.yaml as DVC 3.67 wrote them for a small pipeline (`dvc stage add` + `dvc repro`):
 * prepare (a file), featurize (a directory out), a foreach stage `train` and a matrix stage `evaluate`;
 * the descriptions in dvc.yaml were added by hand, as people do.
 */
export const PIPELINE_LOCK = `
schema: '2.0'
stages:
  prepare:
    cmd: cp data/raw.csv data/clean.csv
    deps:
    - path: data/raw.csv
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
    params:
      params.yaml:
        prepare.seed: 7
        prepare.split: 0.2
    outs:
    - path: data/clean.csv
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
  featurize:
    cmd: mkdir -p data/features && cp data/clean.csv data/features/f.csv && cp 
      data/clean.csv data/features/g.csv
    deps:
    - path: data/clean.csv
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
    params:
      params.yaml:
        featurize.max_features: 100
    outs:
    - path: data/features
      hash: md5
      md5: 708b34df1abae98f56177327749c98b1.dir
      size: 24
      nfiles: 2
  train@a:
    cmd: cp data/clean.csv data/model-a.bin
    deps:
    - path: data/clean.csv
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
    - path: data/features
      hash: md5
      md5: 708b34df1abae98f56177327749c98b1.dir
      size: 24
      nfiles: 2
    outs:
    - path: data/model-a.bin
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
  train@b:
    cmd: cp data/clean.csv data/model-b.bin
    deps:
    - path: data/clean.csv
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
    - path: data/features
      hash: md5
      md5: 708b34df1abae98f56177327749c98b1.dir
      size: 24
      nfiles: 2
    outs:
    - path: data/model-b.bin
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
  evaluate@a-test:
    cmd: cp data/model-a.bin data/eval-a-test.json
    deps:
    - path: data/model-a.bin
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
    outs:
    - path: data/eval-a-test.json
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
  evaluate@b-test:
    cmd: cp data/model-b.bin data/eval-b-test.json
    deps:
    - path: data/model-b.bin
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
    outs:
    - path: data/eval-b-test.json
      hash: md5
      md5: c3c6bc2ae8ece4bd2510dca21225c041
      size: 12
`;

export const PIPELINE_YAML = `
stages:
  prepare:
    desc: Drop malformed rows
    cmd: cp data/raw.csv data/clean.csv
    deps:
    - data/raw.csv
    params:
    - prepare.seed
    - prepare.split
    outs:
    - data/clean.csv
  featurize:
    cmd: mkdir -p data/features && cp data/clean.csv data/features/f.csv && cp 
      data/clean.csv data/features/g.csv
    deps:
    - data/clean.csv
    params:
    - featurize.max_features
    outs:
    - data/features
  train:
    foreach: [a, b]
    do:
      desc: Train one model per variant
      cmd: cp data/clean.csv data/model-\${item}.bin
      deps:
      - data/clean.csv
      - data/features
      outs:
      - data/model-\${item}.bin
  evaluate:
    matrix:
      model: [a, b]
      split: [test]
    cmd: cp data/model-\${item.model}.bin data/eval-\${item.model}-\${item.split}.json
    deps:
    - data/model-\${item.model}.bin
    outs:
    - data/eval-\${item.model}-\${item.split}.json:
        cache: false
`;
