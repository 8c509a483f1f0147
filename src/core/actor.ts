/** Who does something on the desk: an agent, by their desk user id. */
export interface Actor {
  readonly deskUserId: string
}
