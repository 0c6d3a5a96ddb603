// Renders whichever dialog the store says is open.

import { useStore } from '../store';
import { AffinityDialog } from './AffinityDialog';
import { AllocAtDialog } from './AllocAtDialog';
import { AllocVectorsDialog } from './AllocVectorsDialog';
import { ConfirmCutDialog, SwitchMachineDialog } from './ConfirmDialogs';
import { DriverDialog } from './DriverDialog';
import { FreeVectorsDialog } from './FreeVectorsDialog';
import { HelpDialog } from './HelpDialog';
import { ImsDialog } from './ImsDialog';
import { RaiseDialog } from './RaiseDialog';
import { RequestIrqDialog } from './RequestIrqDialog';
import { SubdevDialog } from './SubdevDialog';
import { StoriesDialog } from '../scenarios/StoriesDialog';
import { ShareDialog } from '../share/ShareDialog';

export function Dialogs() {
  const dialog = useStore((s) => s.dialog);
  const close = useStore((s) => s.closeDialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'help': return <HelpDialog onClose={close} />;
    case 'alloc': return <AllocVectorsDialog onClose={close} />;
    case 'allocAt': return <AllocAtDialog onClose={close} />;
    case 'freeVectors': return <FreeVectorsDialog onClose={close} />;
    case 'request': return <RequestIrqDialog virq={dialog.virq} onClose={close} />;
    case 'affinity': return <AffinityDialog virq={dialog.virq} onClose={close} />;
    case 'raise': return <RaiseDialog preset={dialog} onClose={close} />;
    case 'ims': return <ImsDialog op={dialog.op} dev={dialog.dev} onClose={close} />;
    case 'subdev': return <SubdevDialog op={dialog.op} dev={dialog.dev} onClose={close} />;
    case 'driver': return <DriverDialog op={dialog.op} dev={dialog.dev} onClose={close} />;
    case 'confirmCut': return <ConfirmCutDialog action={dialog.action} onClose={close} />;
    case 'switchMachine': return <SwitchMachineDialog presetId={dialog.presetId} onClose={close} />;
    case 'stories': return <StoriesDialog onClose={close} />;
    case 'share': return <ShareDialog onClose={close} />;
    default: {
      const never: never = dialog;
      return never;
    }
  }
}
