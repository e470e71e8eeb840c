"""A family of messages the shipped French model reads wrong: customers asking how many loyalty
points they have. The brand's reviewers answer them as account questions (``account_billing``);
the shipped model reads most as ``pricing`` ("combien"), or hands them off. Used by the learning
tests and the ``learning`` benchmark.
"""

from __future__ import annotations

__all__ = ["FIXED", "PARAPHRASES", "TARGET"]

#: The intent reviewers give them.
TARGET = "account_billing"

#: What customers wrote and reviewers fixed (the shipped model got each of them wrong).
FIXED = (
    "Combien de points de fidélité il me reste ?",
    "Mes points fidélité sont à combien en ce moment ?",
    "Bonjour, j'aimerais savoir combien j'ai de points Boréal",
    "Il me reste combien de points à dépenser ?",
    "Combien de points j'ai accumulé depuis janvier ?",
    "J'en suis à combien de points fidélité ?",
    "Le total de mes points fidélité, c'est combien ?",
    "Combien de points fidélité j'ai en ce moment ?",
    "Mon compte fidélité affiche combien de points ?",
    "Je cumule combien de points au juste ?",
    "Ça fait combien de points avec mon dernier achat ?",
    "Je suis rendue à combien de points ?",
)
#: Fresh paraphrases of the same family, never seen in training.
PARAPHRASES = (
    "J'ai combien de points sur ma carte fidélité ?",
    "Vous pouvez me dire mon solde de points fidélité ?",
    "C'est quoi mon solde de points ?",
    "Je voudrais connaître le nombre de points sur mon compte fidélité",
    "Mon solde fidélité est rendu à combien ?",
    "Combien de points Boréal sur mon compte ?",
    "J'ai combien de points cumulés en tout ?",
    "Allo, je me demandais combien de points j'avais",
    "Pourriez-vous m'indiquer mon solde de points de fidélité ?",
    "Combien de points me reste-t-il après ma dernière commande ?",
    "Je veux savoir où en est mon cumul de points",
    "Est-ce que j'ai encore des points fidélité ?",
    "Mes points, il en reste combien ?",
    "Mon nombre de points fidélité svp",
    "Bonjour, combien de points fidélité j'ai en banque ?",
    "Je me demandais quel est mon solde de points sur la carte Boréal",
    "Est-ce que vous pourriez me dire combien de points j'ai cumulés ?",
    "J'aimerais connaître mon total de points de fidélité, merci",
    "Il me reste combien de points sur mon compte ?",
    "C'est rendu à combien mes points ?",
    "Mon cumul de points fidélité est de combien ?",
    "Allô, je voudrais savoir mon nombre de points accumulés",
    "Pouvez-vous m'envoyer mon solde de points svp ?",
    "Combien j'ai de points en ce moment sur ma carte ?",
)
