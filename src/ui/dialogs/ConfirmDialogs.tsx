// Questions asked before work would be lost: cutting the tail of the time line, or
// switching to another machine.

import { Modal } from '../chrome/Modal';
import { describeAction } from '../format';
import { PRESETS } from '../presets';
import { useStore } from '../store';
import { pickPreset, runAction } from '../store/commands';
import type { Action } from '../../worker/protocol';

export function ConfirmCutDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const n = useStore((s) => s.records.length);
  const dropped = n - step;
  return (
    <Modal
      title="Cut the later steps?"
      onClose={onClose}
      submitLabel={`Cut ${dropped} step${dropped === 1 ? '' : 's'} and apply`}
      onSubmit={() => {
        onClose();
        void runAction(action, true);
      }}
    >
      <p>
        You are looking at step {step} of {n}. Applying <span className="break-all font-mono text-xs">{describeAction(action)}</span> here
        replaces steps {step + 1}–{n} (like typing after an undo).
      </p>
      <p className="text-xs text-slate-500">If the kernel refuses the action, nothing is cut.</p>
    </Modal>
  );
}

export function SwitchMachineDialog({ presetId, onClose }: { presetId: string; onClose: () => void }) {
  const n = useStore((s) => s.records.length);
  const title = PRESETS.find((p) => p.id === presetId)?.title ?? presetId;
  return (
    <Modal
      title="Switch machine?"
      onClose={onClose}
      submitLabel="Switch"
      onSubmit={() => {
        onClose();
        void pickPreset(presetId, true);
      }}
    >
      <p>Booting <strong>{title}</strong> discards the {n} step{n === 1 ? '' : 's'} of the current scenario.</p>
    </Modal>
  );
}
