"""Speed goals, measured: prints how long the course's expensive operations take on this machine.

    python scripts/benchmark.py

The unit tests only check the goals loosely (``-m timing``, tolerated when they fail on a busy
machine); this script is where the numbers are read. Goals on a 2-core CPU: FID of 10,000 vs 10,000
digits ≤ 5 s, a zoo entry loads in ≤ 2 s, a widget update (16 chains × 100 steps, drawn) ≤ 0.3 s.
"""

import statistics
import time

import torch


def timed(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from gancourse import data, metrics, zoo
    from gancourse.widgets import LangevinExplorer

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name in zoo.available():
        print(f"zoo.load({name!r}): {timed(lambda: zoo.load(name, 'cpu')):.2f} s")
    test, train = data.mnist(train=False).images, data.mnist(train=True).images[:10_000]
    metrics.fid(test[:500], train[:500])                      # load the classifier once
    print(f"FID 10k vs 10k (classifier features): {timed(lambda: metrics.fid(test, train), repeat=2):.2f} s")
    gan = zoo.load("grid25-gan", "cpu")
    explorer = LangevinExplorer(gan.generator, gan.discriminator, n_chains=16, dist=gan.data)

    def update():
        explorer.update(n_steps=100, seed=1)
        explorer.fig.canvas.draw()

    print(f"LangevinExplorer update, 16 chains × 100 steps, drawn: {timed(update, repeat=5):.3f} s")


if __name__ == "__main__":
    main()
