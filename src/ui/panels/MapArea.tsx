// What the area across the top shows: the x86 vector matrix, or on arm64 the GICv3 ITS (its
// collections, device table and command queue) — arm64 has no vector matrix.

import { useStore } from '../store';
import { ItsPanel } from './ItsPanel';
import { VectorMapPanel } from './VectorMapPanel';

export function MapArea() {
  const arm64 = useStore((s) => s.snapshot?.view.arch === 'arm64');
  return arm64 ? <ItsPanel /> : <VectorMapPanel />;
}
