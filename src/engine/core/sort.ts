// Models lib/sort.c sort(): the kernel's in-place bottom-up heapsort. It is not stable, and
// callers that sort equal keys (group_cpus_evenly() sorting clusters of one CPU each) get the
// order this exact algorithm leaves — which decides where managed interrupts land.

/** sort(base, num, size=1, cmp): the element order the kernel's heapsort produces. */
export function kernelSort<T>(arr: T[], cmp: (a: T, b: T) => number): T[] {
  const num = arr.length;
  let n = num;
  let a = num >> 1;
  let shift = 0;
  if (!a) return arr;
  const swap = (i: number, j: number) => {
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  };
  // parent(): with size 1, step back one and clear the low bit before halving.
  const parent = (i: number) => {
    i -= 1;
    i -= i & 1;
    return i >> 1;
  };
  for (;;) {
    let b: number;
    let c: number;
    let d: number;
    if (a) a -= 1 << shift;
    else if (n > 3) {
      // Sorting: extract the two largest elements.
      n -= 1;
      swap(0, n);
      shift = cmp(arr[1], arr[2]) <= 0 ? 1 : 0;
      a = 1 << shift;
      n -= 1;
      swap(a, n);
    } else break;
    // Bottom-up sift: find the leaf path first, then backtrack to where "a" belongs.
    for (b = a; (c = 2 * b + 1), (d = c + 1) < n; ) b = cmp(arr[c], arr[d]) > 0 ? c : d;
    if (d === n) b = c;
    while (b !== a && cmp(arr[a], arr[b]) >= 0) b = parent(b);
    c = b;
    while (b !== a) {
      b = parent(b);
      swap(b, c);
    }
  }
  n -= 1;
  swap(0, n);
  if (n === 2 && cmp(arr[0], arr[1]) > 0) swap(0, 1);
  return arr;
}
