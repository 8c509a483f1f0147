/**
 * Where Telegram posts updates in webhook mode. Apart from the adapter, so the registry entry and
 * the doctor can name it without loading grammY.
 */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram'
