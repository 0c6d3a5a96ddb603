// The label of a design beyond mainline: IMS ("removed in 2024"), the subdevice MSI parents
// ("proposal") and the roads not taken ("RFC 2020, not merged", "rejected in review 2021",
// "proposal 2021", "rejected in review 2024"); mainline shows nothing. Colours: eraTone.ts,
// the same rule as the domain tree's era tags.

import type { DomainView } from '../../worker/protocol';
import { ERA_BADGE, eraTitle, eraTone } from './eraTone';

export function EraBadge({ era }: { era: DomainView['era'] | string | undefined | null }) {
  const tone = eraTone(era);
  if (!era || !tone) return null;
  return (
    <span
      data-testid="era"
      data-era-tone={tone}
      title={eraTitle(era)}
      className={`whitespace-nowrap rounded-full px-1.5 font-mono text-[9.5px] font-semibold leading-[15px] text-white ${ERA_BADGE[tone]}`}
    >
      {era}
    </span>
  );
}
