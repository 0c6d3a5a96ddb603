/// <reference lib="webworker" />
// The engine's Web Worker: exposes the host's EngineApi through Comlink. No logic here.

import * as Comlink from 'comlink';
import { createHost } from './host';

Comlink.expose(createHost());
