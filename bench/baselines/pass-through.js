/**
 * The floor: the thinnest Worker that can stand between a client and JD Cloud. It forwards a
 * request the client has already signed to the emulator and returns the answer, with no logic
 * of its own. What it adds over calling the emulator directly is what any Worker hop costs on
 * this machine; what podgate adds over it is podgate's own work.
 */
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const answer = await fetch(`${env.TARGET}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    return new Response(await answer.text(), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  },
};
