// What seed 000 shows, with workbridge: send to a person, to a room, a batch, a quick call,
// and the conference room status. Run by `make demo` against the sandbox; point serverURL and
// apiToken at a real Chat&Messenger server to run it for real.

import { CAMAPIClient, setAPIClient, getAPIClient, WorkbridgeError } from '../pkg/index.mjs';

export async function main({ serverURL, apiToken = 'sandbox-token', log = console.log }) {
  setAPIClient(new CAMAPIClient({ apiToken, serverURL }));

  // Send a direct message with Messenger to two people.
  let response = await getAPIClient().sendMessage('messenger', 'Hello!', false, ['user1@xxx.com', 'user2@xxx.com']);
  log('sendMessage (messenger) ->', response);

  // Send to a chat room, mentioning people.
  response = await getAPIClient().sendMessage('Secret meeting', 'Deploy finished ✅', false, ['user1@xxx.com']);
  log('sendMessage (room)      ->', response);

  // A batch, as messages.json: direct messages and a message to every member of a room.
  response = await getAPIClient().sendMessages([
    { message: 'hello 1', users: ['user1@test.com', 'user2@test.com'] },
    { message: 'hello 2', users: ['user1@test.com'] },
    { send: 'Secret meeting', message: 'test 1' },
  ]);
  log('sendMessages            ->', response);

  // A quick web meeting that expires in an hour.
  response = await getAPIClient().createQuickCall(new Date(Date.now() + 3600_000), 'password!');
  log('createQuickCall         ->', response.quickCall);

  // Reservations in August 2019.
  response = await getAPIClient().getConferenceRoomStatus('201908');
  const errors = response.errors;
  if (errors) {
    log(errors);
    return response;
  }
  for (const room of response.conferenceRoomStatus.conferenceRooms) {
    log(`  ${room.name}: ${room.reservedSchedules.map((s) => `${s.startTime} ${s.title}`).join('; ') || 'free'}`);
  }

  // Bad input never leaves the machine: it rejects with the field named.
  try {
    await getAPIClient().getConferenceRoomStatus('2019-08');
  } catch (e) {
    if (!(e instanceof WorkbridgeError)) throw e;
    log(`invalid input           -> ${e.code} (${e.field}): ${e.message}`);
  }
  return response;
}
