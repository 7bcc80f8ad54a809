# conversations
