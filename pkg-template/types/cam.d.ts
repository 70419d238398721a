// ---- Chat&Messenger ----------------------------------------------------------------------
// Hand-written: the options, the results and the JSON parameters' shapes. The params, methods
// and qing.call names are generated from the table (generated/cam.d.ts).

export interface CAMOptions extends CommonOptions {
  apiToken: string;
  /** e.g. `https://….chat-messenger.com` or an on-premise `http://host:8080`. */
  serverURL: string;
}

/** A batch item as the seed's messages.json writes it: to people (`property.users`, or a flat `users`) or to every member of a chat room (`send`). */
export type CAMBatchItem =
  | { message: string; property: { users: string[] | string }; users?: never; send?: never }
  | { message: string; users: string[] | string; property?: never; send?: never }
  | { message: string; send: string; users?: never; property?: never };

export interface CAMChatRoom {
  /** Absent for a new room. */
  id?: string;
  name?: string;
  createUserId?: string;
  adminUserId?: string;
  isMessageThread?: boolean;
  isPublic?: boolean;
  memberUids?: Record<string, boolean>;
  [key: string]: unknown;
}

/** The server's JSON body, as the seed's samples read it: `response['errors']` is set on a refusal. */
export interface CAMResponse {
  errors?: string[] | string | null;
  [key: string]: unknown;
}

/** A conference room, as `getConferenceRooms` / `getConferenceMaster` list them. */
export interface CAMConferenceRoom {
  id: string;
  name?: string;
  [key: string]: unknown;
}

/** A month's or day's reservations (`response["conferenceRoomStatus"]`). */
export interface CAMConferenceRoomStatus {
  yyyyMMdd: string;
  conferenceRooms: Array<CAMConferenceRoom & { reservedSchedules: unknown[] }>;
}

/** What an operation resolves with, where it is more than the generic `CAMResult`. */
export interface CAMResults {
  getConferenceRooms: CAMResponse & { conferenceRooms?: CAMConferenceRoom[] };
  sendMessage: CAMResponse & { messageId?: string };
  sendMessages: CAMResponse & { messageIds?: string[] };
  createQuickCall: CAMResponse & { url?: string };
  updateChatRoom: CAMResponse & { chatRoom?: CAMChatRoom };
  getConferenceMaster: CAMResponse & { conferenceRooms?: CAMConferenceRoom[] };
  getConferenceRoomStatus: CAMResponse & { conferenceRoomStatus?: CAMConferenceRoomStatus };
}
/** What any other operation resolves with: the server's JSON body. */
export type CAMResult = CAMResponse;

/** The JSON parameters' shapes, by `operation.param`. */
export interface CAMJsonParams {
  'sendMessages.items': CAMBatchItem[];
  'updateChatRoom.chatRoom': CAMChatRoom;
}

/** Chat&Messenger: the documented client's methods and positional signatures. */
export class CAMAPIClient {
  constructor(options: CAMOptions);
}

export interface QingConfig {
  cam?: CAMOptions;
}

/** Sets the module-level client that the seed's samples reach through `getAPIClient()`. */
export function setAPIClient(client: CAMAPIClient): void;
export function getAPIClient(): CAMAPIClient;
