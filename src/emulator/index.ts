/**
 * Worker entry of the JD Cloud pod-service emulator (`src/emulator/wrangler.toml`). Every request
 * goes to the single `EmulatorState` Durable Object, which holds all state.
 */
export { EmulatorState } from './emulator-state';

/** The one instance: JD state is global across regions (tokens, nonces, faults). */
const INSTANCE = 'global';

export default {
  fetch(request, env) {
    return env.EMULATOR_STATE.get(env.EMULATOR_STATE.idFromName(INSTANCE)).fetch(request);
  },
} satisfies ExportedHandler<EmulatorEnv>;
