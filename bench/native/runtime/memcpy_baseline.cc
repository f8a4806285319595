// The floor for handoff costs: a plain memcpy of SIZE bytes between two buffers, timed per
// copy. Prints {"median_ms":…,"p99_ms":…,"iterations":…}.
// usage: memcpy_baseline SIZE ITERATIONS
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const size_t size = std::strtoull(argv[1], nullptr, 10);
  const int iterations = std::atoi(argv[2]);
  std::vector<unsigned char> a(size, 1), b(size, 0);
  std::vector<double> ms;
  for (int i = -5; i < iterations; ++i) {
    a[i & 1023 % size] = static_cast<unsigned char>(i);  // keep the copy observable
    auto start = std::chrono::steady_clock::now();
    std::memcpy(b.data(), a.data(), size);
    auto end = std::chrono::steady_clock::now();
    if (b[size / 2] == 42 && b[0] == 42) std::puts("");  // defeat dead-store elimination
    if (i >= 0) ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("{\"median_ms\":%.6f,\"p99_ms\":%.6f,\"iterations\":%d}\n", ms[ms.size() / 2],
              ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.99))], iterations);
  return 0;
}
