/**
 * The sub-composition instances of the entry: which file each host mounts, when it plays, and
 * the values it passes (`data-variable-values`). Clicking one jumps to its start.
 */
import type { SubCompositionInstance } from '../../src/shared/model';
import { h, replaceChildren } from './dom';

export class InstancesPanel {
  readonly el: HTMLElement;
  private readonly list = h('div', { class: 'instance-list' });

  constructor(private readonly jump: (seconds: number) => void) {
    this.el = h('section', { class: 'panel instances', 'aria-label': 'Sub-compositions' }, h('header', {}, h('h2', {}, 'Sub-compositions')), this.list);
  }

  set(instances: SubCompositionInstance[]): void {
    this.el.hidden = instances.length === 0;
    replaceChildren(
      this.list,
      instances.map((inst) => {
        const values = Object.entries(inst.variableValues);
        const span = `${inst.start.toFixed(2)}s → ${inst.end === null ? 'end' : `${inst.end.toFixed(2)}s`}`;
        return h(
          'button',
          { class: 'instance', title: `Jump to ${inst.start.toFixed(2)}s`, onclick: () => this.jump(inst.start) },
          h('div', { class: 'instance-head' }, h('span', { class: 'instance-name' }, inst.hostId ? `#${inst.hostId}` : inst.compositionId), h('span', { class: 'instance-time' }, span)),
          h('div', { class: 'instance-src' }, inst.src, inst.composition ? '' : ' (not loaded)'),
          values.length
            ? h('dl', { class: 'instance-values' }, values.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? v : JSON.stringify(v))]))
            : h('div', { class: 'instance-none' }, 'no data-variable-values'),
        );
      }),
    );
  }
}
