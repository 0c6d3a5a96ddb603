// The roads' devices (mediated devices, logical functions) of the state shown, asked of the worker
// when the shown state changes (they are not part of the delta-kept view). Only machines whose
// scenario calls a road's functions ask.

import { useEffect, useState } from 'react';
import { engine } from '../../worker/client';
import type { RoadDevicesView } from '../../worker/protocol';
import { useStore } from './index';

const ROAD_OPS = /^(mdev_|lfunc_|dev_set_msi_domain|dev_msi_|platform_msi_)/;

/** null until the worker answered, or when the scenario makes no such devices. */
export function useRoadDevices(): RoadDevicesView | null {
  const snapshot = useStore((s) => s.snapshot);
  const uses = useStore((s) => s.scenario?.actions.some((a) => ROAD_OPS.test(a.op)) ?? false);
  const [view, setView] = useState<RoadDevicesView | null>(null);
  useEffect(() => {
    if (!uses || !snapshot) {
      setView(null);
      return;
    }
    let live = true;
    engine().roadDevices().then((v) => live && setView(v), () => live && setView(null));
    return () => {
      live = false;
    };
  }, [uses, snapshot]);
  return view;
}
