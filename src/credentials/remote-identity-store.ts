/**
 * Which local account a remote user is: remote id → local user id, claimed once and
 * never computed, so a remote id (or a guess at one) says nothing about the local id.
 */
export interface RemoteIdentityStore {
  find(remoteId: string): Promise<string | undefined>;
  /** Claims the remote id for this user id unless it is claimed already; answers the id that holds it. */
  claim(remoteId: string, userId: string): Promise<string>;
}
