"""Telling people: what happened (`events`), who hears of it and how (`subscriptions`), the durable outbox and
its sender (`outbox`, `sender`), the channels (`channels`: 企业微信 and 钉钉 group robots, webhooks, email) and
each person's in-app inbox (`inbox`). See docs/notifications.md."""
