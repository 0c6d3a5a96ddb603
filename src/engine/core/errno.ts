// Models include/uapi/asm-generic/errno-base.h and include/linux/errno.h: the error numbers the engine returns.

export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const ENXIO = 6;
export const ENOMEM = 12;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOSPC = 28;
export const ERANGE = 34;
/** Resource deadlock would occur: what the model answers where the kernel would hang. */
export const EDEADLK = 35;
export const ENOSYS = 38;
/** Kernel-internal, never seen by user space (include/linux/errno.h). */
export const ENOTSUPP = 524;

const NAMES: Record<number, string> = {
  [EPERM]: 'EPERM', [ENOENT]: 'ENOENT', [EIO]: 'EIO', [ENXIO]: 'ENXIO', [ENOMEM]: 'ENOMEM', [EBUSY]: 'EBUSY',
  [EEXIST]: 'EEXIST', [ENODEV]: 'ENODEV', [EINVAL]: 'EINVAL', [ENOSPC]: 'ENOSPC',
  [ERANGE]: 'ERANGE', [EDEADLK]: 'EDEADLK', [ENOSYS]: 'ENOSYS', [ENOTSUPP]: 'ENOTSUPP',
};

/** "-ENOSPC" for -28 (or 28); "-E123" for numbers without a name. */
export function errnoName(n: number): string {
  const v = Math.abs(n);
  return `-${NAMES[v] ?? `E${v}`}`;
}
