// Keeps one panel's rendering bug from blanking the whole page: the panel shows the error.

import { Component, type ReactNode } from 'react';

interface Props {
  name: string;
  children: ReactNode;
}

export class PanelBoundary extends Component<Props, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section aria-label={this.props.name} className="min-h-0 overflow-auto rounded-md border border-rose-300 bg-rose-50 p-2 text-xs text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100">
        <p className="font-semibold">The {this.props.name} panel failed to draw.</p>
        <pre className="mt-1 whitespace-pre-wrap font-mono text-[11px]">{error.message}</pre>
        <button type="button" className="mt-2 underline" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </section>
    );
  }
}
