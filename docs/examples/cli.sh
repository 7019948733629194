# model/ holds model.json + weights.bin; each .json data file is { "shape": [n, ...], "data": [...] }
# (.npy files and folders of PNG/JPEG images work too).
unlearn methods

# JiT needs the samples to forget and nothing else.
unlearn forget --model model/ --forget forget.json --method jit --out model-v2/
unlearn verify --record model-v2/deletion-record.json --forget forget.json

# SSD: compute the training-set importances once, then serve each request from them.
unlearn importances --model model/ --train train.json --train-labels train-labels.json --kind fisher --out importances/
unlearn forget --model model/ --forget forget.json --labels forget-labels.json \
  --method ssd --set alpha=5 --set lambda=0.1 --importances importances/ \
  --retain retain.json --retain-labels retain-labels.json \
  --eval-data test.json --eval-labels test-labels.json --out model-v3/

# Accuracy and membership inference of the result, by scenario.
unlearn eval --model model-v3/ --data train.json --labels train-labels.json \
  --test test.json --test-labels test-labels.json --scenario full-class:2
